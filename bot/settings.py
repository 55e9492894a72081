"""Settings of the assistant, read once from environment variables (and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseSettings, SecretStr, validator


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

    # Used by the supervisor (`python -m bot.run`) to start the three services.
    bind_host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000

    class Config:
        env_file = ".env"
        env_file_encoding = "utf-8"

    @validator(
        "rasa_api_token",
        "staff_api_token",
        "wechat_token",
        "wechat_encoding_aes_key",
        "wechat_app_id",
        "wechat_app_secret",
        pre=True,
    )
    def _empty_means_unset(cls, value: object) -> object:
        # `.env.example` lists every variable with an empty value; empty means "not set".
        return None if value == "" else value

    @validator("rasa_url", "action_server_url")
    def _strip_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

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
        return value

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read on first use."""
    return Settings()
