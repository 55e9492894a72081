"""Production refuses to start with a default, missing or short secret: every secret setting."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.settings import DEV_SESSION_SECRET, DEVELOPMENT_SENDER_HASH_KEY, Settings
from bot.staff.accounts import DEV_PASSWORD, hash_password

SECRETS = ("RASA_API_TOKEN", "STAFF_API_TOKEN", "STAFF_USERS", "SESSION_SECRET", "WECHAT_TOKEN", "SENDER_HASH_KEY",
           "WECHAT_ENCODING_AES_KEY", "WECHAT_APP_SECRET", "APP_ENV")
GOOD = {
    "app_env": "production",
    "rasa_api_token": "rasa-token-0123456789",
    "staff_api_token": "staff-token-0123456789",
    "staff_users": f"zhangsan:{hash_password('a long passphrase')}",
    "session_secret": "k" * 40,
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_production_starts_with_every_secret_set() -> None:
    assert settings(**GOOD).is_production


def test_development_needs_no_secret() -> None:
    assert not settings().is_production


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rasa_api_token": None}, "RASA_API_TOKEN must be set"),
        ({"rasa_api_token": ""}, "RASA_API_TOKEN must be set"),
        ({"rasa_api_token": "short"}, "RASA_API_TOKEN must have at least 16"),
        ({"staff_api_token": None}, "STAFF_API_TOKEN must be set"),
        ({"staff_api_token": "t"}, "STAFF_API_TOKEN must have at least 16"),
        ({"staff_users": None}, "STAFF_USERS must be set"),
        ({"staff_users": f"staff:{hash_password(DEV_PASSWORD)}"}, "development password"),
        ({"session_secret": None}, "SESSION_SECRET must be set"),
        ({"session_secret": DEV_SESSION_SECRET}, "SESSION_SECRET must be set"),
        ({"session_secret": "short"}, "at least 32"),
        ({"wechat_token": "wx"}, "WECHAT_TOKEN must have at least 16"),
        ({"wechat_token": "wx-token-0123456789"}, "SENDER_HASH_KEY must be set"),
        ({"wechat_token": "wx-token-0123456789", "sender_hash_key": DEVELOPMENT_SENDER_HASH_KEY},
         "SENDER_HASH_KEY must be set"),
        ({"wechat_token": "wx-token-0123456789", "sender_hash_key": "short"}, "at least 16"),
    ],
)
def test_production_refuses_a_default_missing_or_short_secret(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**{**GOOD, **change})


def test_short_secrets_are_fine_in_development() -> None:
    assert settings(rasa_api_token="r", staff_api_token="t", wechat_token="wx").rasa_api_token is not None


@pytest.mark.parametrize("name", ["rate_limit_ip_per_minute", "rate_limit_sender_per_minute", "max_body_bytes"])
def test_a_limit_is_zero_for_off_or_positive(name: str) -> None:
    assert getattr(settings(**{name: 0}), name) == 0
    with pytest.raises(ValidationError, match="0 \\(off\\)"):
        settings(**{name: -1})
