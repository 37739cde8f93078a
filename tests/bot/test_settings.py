"""Settings refuse placeholder secrets, treat empty values as unset and never show secrets."""

import pytest

from bot.settings import Settings


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
