"""Settings refuse placeholder secrets, treat empty values as unset and never show secrets."""

import contextlib
import io

import pytest

from bot.cli import main
from bot.settings import ConfigurationError, Settings, load_settings


def test_empty_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert Settings(_env_file=None).telegram_bot_token is None


@pytest.mark.parametrize(
    "name", ["TELEGRAM_BOT_TOKEN", "TWILIO_AUTH_TOKEN", "ADMIN_TOKEN", "ADMIN_SESSION_SECRET"]
)
def test_placeholder_secrets_are_refused(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "changethis")
    with pytest.raises(ValueError, match=name):
        Settings(_env_file=None)


def test_production_needs_an_admin_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMKM_ENV", "prod")
    with pytest.raises(ValueError, match="ADMIN_TOKEN"):
        Settings(_env_file=None)


def test_production_needs_an_admin_session_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMKM_ENV", "prod")
    monkeypatch.setenv("ADMIN_TOKEN", "a-real-admin-token")
    with pytest.raises(ValueError, match="ADMIN_SESSION_SECRET"):
        Settings(_env_file=None)


def test_secrets_are_hidden_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:REAL-TOKEN")
    settings = Settings(_env_file=None)
    assert "REAL-TOKEN" not in repr(settings) and "REAL-TOKEN" not in str(settings.model_dump())
    assert settings.telegram_bot_token.get_secret_value() == "123456:REAL-TOKEN"


TOKEN = "123456:AAHsecretTOKENvalue987"
PASSWORD = "pgPassw0rd-xyz"


def _serve(monkeypatch: pytest.MonkeyPatch, tmp_path, **env: str) -> tuple[int, str]:
    """Runs `umkm serve` in an empty folder (no .env) with these settings; returns its exit code and output."""
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    output = io.StringIO()
    with contextlib.redirect_stderr(output), contextlib.redirect_stdout(output):
        code = main(["serve"])
    return code, output.getvalue()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"UMKM_ENV": "prod"}, ["ADMIN_TOKEN"]),
        (
            {"TELEGRAM_RATE_PER_SECOND": "cepat", "DATABASE_URL": f"postgres:/umkm:{PASSWORD}@db"},
            ["TELEGRAM_RATE_PER_SECOND", "DATABASE_URL"],
        ),
        ({"UMKM_ENV": "prod", "ADMIN_TOKEN": "changethis"}, ["ADMIN_TOKEN"]),
        ({"DATABASE_URL": f"postgresql//umkm:{PASSWORD}@db/umkm"}, ["DATABASE_URL"]),
        ({"TWILIO_CONTENT_QUICK_REPLY": "{" + TOKEN}, ["twilio_content_quick_reply"]),
    ],
)
def test_a_wrong_setting_is_named_without_any_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path, env: dict[str, str], named: list[str]
) -> None:
    """`umkm serve` with a wrong or missing setting says which, never the token or the database password."""
    base = {"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": f"postgresql://umkm:{PASSWORD}@db/umkm"}
    code, output = _serve(monkeypatch, tmp_path, **{**base, **env})
    assert code == 2 and output.startswith("Konfigurasi tidak valid:")
    for name in named:
        assert name in output
    for secret in (TOKEN, PASSWORD):
        for tail in (secret, secret[-6:], secret[:6]):
            assert tail not in output
    assert "Traceback" not in output and "input_value" not in output


def test_load_settings_raises_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMKM_ENV", "prod")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_env_file=None)
    assert str(caught.value) == "ADMIN_TOKEN is required when UMKM_ENV=prod"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
