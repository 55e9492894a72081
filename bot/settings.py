"""Settings of the assistant, read once from environment variables (and `.env`)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseSettings, SecretStr, validator

from bot.staff.accounts import DEV_PASSWORD, Accounts, AccountsError, parse_accounts

# Signs the staff console's session cookies in development only; production refuses it.
DEV_SESSION_SECRET = "development-only-session-secret-do-not-use"


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


# Used for SENDER_HASH_KEY in development only; production refuses it.
DEVELOPMENT_SENDER_HASH_KEY = "development-only-sender-hash-key"


class Settings(BaseSettings):
    """One settings object for the web app, the supervisor and the actions.

    Every field is read from the environment variable of the same name in upper
    case (APP_ENV, RASA_URL, ...). See `.env.example`.
    """

    app_env: Literal["development", "production"] = "development"
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_api_token: SecretStr | None = None
    staff_api_token: SecretStr | None = None
    wechat_token: SecretStr | None = None
    wechat_encoding_aes_key: SecretStr | None = None
    wechat_app_id: str | None = None
    wechat_app_secret: SecretStr | None = None
    # Base URL of WeChat's server API (access token, customer-service messages); tests point it at a fake.
    wechat_api_base_url: str = "https://api.weixin.qq.com"
    # Key of the keyed hash that turns an openid into the sender id Rasa stores (raw openids are not kept).
    sender_hash_key: SecretStr | None = None

    # Web pages of other sites that may embed the chat widget (/widget.js) and so call
    # /api/chat from the browser: exact origins, comma separated. Empty: same origin only.
    cors_origins: list[str] = []

    # The staff console (/staff): accounts as `name:argon2-hash;...` (python -m bot.staff.accounts NAME),
    # the key that signs its session cookies, and how long a login lasts.
    staff_users: SecretStr | None = None
    session_secret: SecretStr | None = None
    staff_session_minutes: int = 480
    # The endpoints.yml Rasa runs with: the console reads consultations from its tracker store.
    rasa_endpoints: Path = Path("endpoints.yml")

    # Abuse limits of the web app (bot/web/guards.py); 0 turns a limit off. Requests per minute
    # from one client address, turns per minute of one conversation, bytes of one request body.
    rate_limit_ip_per_minute: int = 3000
    rate_limit_sender_per_minute: int = 30
    max_body_bytes: int = 64 * 1024

    # Used by the supervisor (`python -m bot.run`) to start the three services.
    bind_host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000

    class Config:
        env_file = ".env"
        env_file_encoding = "utf-8"

        @classmethod
        def parse_env_var(cls, field_name: str, raw_val: str) -> Any:
            # CORS_ORIGINS=https://a.example,https://b.example (a JSON list works too).
            if field_name == "cors_origins" and not raw_val.lstrip().startswith("["):
                return [item.strip() for item in raw_val.split(",") if item.strip()]
            return json.loads(raw_val)

    @validator(
        "rasa_api_token",
        "staff_api_token",
        "wechat_token",
        "wechat_encoding_aes_key",
        "wechat_app_id",
        "wechat_app_secret",
        "staff_users",
        "session_secret",
        "sender_hash_key",
        pre=True,
    )
    def _empty_means_unset(cls, value: object) -> object:
        # `.env.example` lists every variable with an empty value; empty means "not set".
        return None if value == "" else value

    @validator("rasa_url", "action_server_url", "wechat_api_base_url")
    def _strip_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @validator("cors_origins", each_item=True)
    def _exact_origin(cls, value: str) -> str:
        # An origin is scheme://host[:port], nothing more; "*" would let any site use the chat.
        origin = value.strip().rstrip("/")
        if not _ORIGIN.fullmatch(origin):
            raise ValueError(f"{value!r} is not an origin like https://www.zibo.gov.cn (no path, no *)")
        return origin

    @validator("wechat_encoding_aes_key")
    def _aes_key_length(cls, value: SecretStr | None) -> SecretStr | None:
        # WeChat's EncodingAESKey is always 43 characters (base64 of 32 bytes, no padding).
        if value is not None and len(value.get_secret_value()) != 43:
            raise ValueError("WECHAT_ENCODING_AES_KEY must be 43 characters long")
        return value

    @validator("staff_api_token", always=True)
    def _staff_token_required_in_production(
        cls,
        value: SecretStr | None,
        values: dict[str, object],
    ) -> SecretStr | None:
        # Outside development the staff endpoints must not be open to anyone.
        if values.get("app_env") == "production" and value is None:
            raise ValueError("STAFF_API_TOKEN must be set when APP_ENV=production")
        _long_enough_in_production("STAFF_API_TOKEN", value, values)
        return value

    @validator("rasa_api_token", always=True)
    def _rasa_token_required_in_production(
        cls,
        value: SecretStr | None,
        values: dict[str, object],
    ) -> SecretStr | None:
        # Without it anyone who reaches Rasa's port may read every conversation (/conversations/...)
        # or replace the model (PUT /model); the REST channel stays open either way.
        if values.get("app_env") == "production" and value is None:
            raise ValueError("RASA_API_TOKEN must be set when APP_ENV=production")
        _long_enough_in_production("RASA_API_TOKEN", value, values)
        return value

    @validator("wechat_token")
    def _wechat_token_long_in_production(
        cls,
        value: SecretStr | None,
        values: dict[str, object],
    ) -> SecretStr | None:
        # The only secret in WeChat's signature: a short one can be guessed offline from one request.
        _long_enough_in_production("WECHAT_TOKEN", value, values)
        return value

    @validator("rate_limit_ip_per_minute", "rate_limit_sender_per_minute", "max_body_bytes")
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be 0 (off) or a positive number")
        return value

    @validator("sender_hash_key", always=True)
    def _sender_hash_key_required_in_production(
        cls,
        value: SecretStr | None,
        values: dict[str, object],
    ) -> SecretStr | None:
        # The development default is public; with it anyone could link a sender id back to an openid.
        if values.get("app_env") == "production" and values.get("wechat_token") is not None:
            if value is None or value.get_secret_value() == DEVELOPMENT_SENDER_HASH_KEY:
                raise ValueError("SENDER_HASH_KEY must be set when APP_ENV=production and WECHAT_TOKEN is set")
            if len(value.get_secret_value()) < 16:
                raise ValueError("SENDER_HASH_KEY must have at least 16 characters")
        return value

    @property
    def sender_hash_secret(self) -> bytes:
        """The key of the openid hash: SENDER_HASH_KEY, or a fixed one in development."""
        key = self.sender_hash_key.get_secret_value() if self.sender_hash_key else DEVELOPMENT_SENDER_HASH_KEY
        return key.encode("utf-8")

    @validator("staff_users", always=True)
    def _staff_accounts(cls, value: SecretStr | None, values: dict[str, object]) -> SecretStr | None:
        # Outside development: real accounts, none of them with the development password.
        production = values.get("app_env") == "production"
        if value is None:
            if production:
                raise ValueError("STAFF_USERS must be set when APP_ENV=production")
            return None
        try:
            accounts = parse_accounts(value.get_secret_value())
        except AccountsError as error:
            raise ValueError(str(error)) from None
        if production and (defaults := Accounts(accounts).uses_password(DEV_PASSWORD)):
            raise ValueError(f"STAFF_USERS: {', '.join(defaults)} still use the development password")
        return value

    @validator("session_secret", always=True)
    def _session_secret_required_in_production(
        cls,
        value: SecretStr | None,
        values: dict[str, object],
    ) -> SecretStr | None:
        # With a known key anyone could forge a staff session cookie.
        if values.get("app_env") == "production":
            secret = value.get_secret_value() if value else ""
            if not secret or secret == DEV_SESSION_SECRET:
                raise ValueError("SESSION_SECRET must be set when APP_ENV=production")
            if len(secret) < 32:
                raise ValueError("SESSION_SECRET must have at least 32 characters")
        return value

    @validator("staff_session_minutes")
    def _session_length(cls, value: int) -> int:
        if not 5 <= value <= 24 * 60:
            raise ValueError("STAFF_SESSION_MINUTES must be between 5 and 1440")
        return value

    @property
    def session_secret_value(self) -> str:
        """The key of the staff session cookies: SESSION_SECRET, or a fixed one in development."""
        return self.session_secret.get_secret_value() if self.session_secret else DEV_SESSION_SECRET

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"


MIN_SECRET_CHARS = 16


def _long_enough_in_production(name: str, value: SecretStr | None, values: dict[str, object]) -> None:
    production = values.get("app_env") == "production"
    if production and value is not None and len(value.get_secret_value()) < MIN_SECRET_CHARS:
        raise ValueError(f"{name} must have at least {MIN_SECRET_CHARS} characters when APP_ENV=production")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read on first use."""
    return Settings()
