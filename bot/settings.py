"""Typed configuration from the environment, validated at start-up; secrets never printed."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core.kabupaten import Profile, ProfileError, load_profile, parse_profile
from core.rule_table import RuleFileError
from storage.db import DEFAULT_URL

PLACEHOLDERS = {"changethis", "changeme", "secret", "token", "xxx"}
SECRET_FIELDS = (
    "telegram_bot_token",
    "telegram_webhook_secret",
    "twilio_auth_token",
    "admin_token",
    "admin_session_secret",
)


class ConfigurationError(ValueError):
    """Which settings are wrong and why, never their values (pydantic's own message quotes the input)."""


class Settings(BaseSettings):
    """Every setting of the bot; names match the README's table."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", case_sensitive=False, env_ignore_empty=True
    )

    umkm_env: str = Field(default="dev", description="dev or prod")
    database_url: str = DEFAULT_URL
    public_base_url: str | None = None
    umkm_kabupaten: str = "muara_enim"  # a profile shipped in core/profiles
    umkm_profile: str | None = None  # or a profile TOML file of the operator's own, which wins

    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_rate_per_second: int = 30

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_rate_per_second: int = 10
    twilio_status_callback: str | None = None  # unset: PUBLIC_BASE_URL + /webhooks/whatsapp/status
    # Approved Content templates (HX...) for business-initiated messages outside the 24-hour window, per kind.
    twilio_template_consultant_notification: str | None = None
    twilio_template_booking_confirmation: str | None = None
    twilio_template_repayment_reminder: str | None = None
    twilio_template_broadcast: str | None = None
    twilio_template_aid_decision: str | None = None
    twilio_template_survey: str | None = None
    # Optional in-session Content SIDs for options, as JSON {"count": "HX..."}: quick replies 1-3, list 1-10 rows.
    twilio_content_quick_reply: dict[int, str] = Field(default_factory=dict)
    twilio_content_list_picker: dict[int, str] = Field(default_factory=dict)

    admin_token: SecretStr | None = None  # bearer token for scripts calling /admin/api/...
    admin_session_secret: SecretStr | None = (
        None  # signs /admin session cookies; unset in dev: one per process
    )
    umkm_worker_id: str | None = None
    outbox_lease_seconds: float = Field(default=15.0, gt=0)
    webchat_enabled: bool = False  # the browser chat at /chat; unset means on in dev, off in prod

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        """Refuses a value that is no database URL (SQLAlchemy's own error would print it, password and all)."""
        try:
            make_url(value)
        except ArgumentError:
            raise ValueError("not a database URL, e.g. postgresql://user:password@host/umkm") from None
        return value

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        """Refuses placeholder secrets, and in production a missing admin token or session secret."""
        for name in SECRET_FIELDS:
            value = getattr(self, name)
            if value is not None and value.get_secret_value().strip().lower() in PLACEHOLDERS:
                raise ValueError(f"{name.upper()} is a placeholder; set a real secret")
        if self.umkm_env == "prod" and self.admin_token is None:
            raise ValueError("ADMIN_TOKEN is required when UMKM_ENV=prod")
        if self.umkm_env == "prod" and self.admin_session_secret is None:
            raise ValueError("ADMIN_SESSION_SECRET is required when UMKM_ENV=prod")
        if (
            self.telegram_bot_token is not None
            and self.telegram_webhook_secret is None
            and self.public_base_url
        ):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required for a Telegram webhook")
        return self

    @model_validator(mode="after")
    def _check_twilio(self) -> Settings:
        """Derives the status callback URL and checks the Content SIDs' shape and option counts."""
        if self.twilio_status_callback is None and self.public_base_url:
            self.twilio_status_callback = f"{self.public_base_url.rstrip('/')}/webhooks/whatsapp/status"
        sids = {f"TEMPLATE_{kind.upper()}": sid for kind, sid in self.twilio_templates.items()}
        for name, limit in (("quick_reply", 3), ("list_picker", 10)):
            counts: dict[int, str] = getattr(self, f"twilio_content_{name}")
            if any(not 1 <= count <= limit for count in counts):
                raise ValueError(f"TWILIO_CONTENT_{name.upper()} takes option counts 1-{limit}")
            sids |= {f"CONTENT_{name.upper()}[{count}]": sid for count, sid in counts.items()}
        for name, sid in sids.items():
            if not sid.startswith("HX"):
                raise ValueError(f"TWILIO_{name} must be a Content SID (HX...)")
        return self

    @property
    def twilio_templates(self) -> dict[str, str]:
        """The configured template Content SID of each business-initiated kind."""
        kinds = (
            "consultant_notification",
            "booking_confirmation",
            "repayment_reminder",
            "broadcast",
            "aid_decision",
            "survey",
        )
        return {kind: sid for kind in kinds if (sid := getattr(self, f"twilio_template_{kind}"))}

    @model_validator(mode="after")
    def _default_webchat(self) -> Settings:
        """Turns the web chat on by default in dev; in prod only when WEBCHAT_ENABLED is set."""
        if "webchat_enabled" not in self.model_fields_set:
            self.webchat_enabled = self.umkm_env == "dev"
        return self

    @model_validator(mode="after")
    def _check_profile(self) -> Settings:
        """Loads the kabupaten profile at start-up; every problem of the file is named at once."""
        try:
            self.profile  # noqa: B018 (loads and caches it)
        except RuleFileError as error:
            source = (
                f"UMKM_PROFILE={self.umkm_profile}"
                if self.umkm_profile
                else f"UMKM_KABUPATEN={self.umkm_kabupaten}"
            )
            raise ValueError(f"{source}: the kabupaten profile has problems:\n{error}") from None
        return self

    @cached_property
    def profile(self) -> Profile:
        """The kabupaten this deployment serves: UMKM_PROFILE's file, else the shipped UMKM_KABUPATEN."""
        if self.umkm_profile:
            return profile_from_file(self.umkm_profile)
        return load_profile(self.umkm_kabupaten)

    @cached_property
    def zone(self) -> ZoneInfo:
        """The kabupaten's time zone (WIB, WITA or WIT)."""
        return ZoneInfo(self.profile.time_zone)


def load_settings(**values: object) -> Settings:
    """Reads the settings from the environment; a wrong one raises ConfigurationError naming it, not its value."""
    try:
        return Settings(**values)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_input=False, include_url=False, include_context=False):
            name = ".".join(str(part) for part in item["loc"]).upper()
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{name}: {message}" if name else message)
        raise ConfigurationError("; ".join(problems)) from None
    except SettingsError as error:  # a JSON setting that does not parse; the message names the field only
        raise ConfigurationError(str(error)) from None


def profile_from_file(path: str) -> Profile:
    """Reads and checks a kabupaten profile file an operator supplies; a ProfileError lists every problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError([f"{path}: cannot be read as a UTF-8 text file ({error})"]) from None
    return parse_profile(text, path)
