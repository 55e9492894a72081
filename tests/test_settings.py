"""Settings come from environment variables, with safe defaults for development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from bot.staff.accounts import hash_password

ENV_NAMES = [
    "APP_ENV",
    "RASA_URL",
    "ACTION_SERVER_URL",
    "RASA_API_TOKEN",
    "STAFF_API_TOKEN",
    "STAFF_USERS",
    "SESSION_SECRET",
    "STAFF_SESSION_MINUTES",
    "RASA_ENDPOINTS",
    "WECHAT_TOKEN",
    "WECHAT_ENCODING_AES_KEY",
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
    "WECHAT_API_BASE_URL",
    "SENDER_HASH_KEY",
    "BIND_HOST",
    "RASA_PORT",
    "ACTION_PORT",
    "WEB_PORT",
    "CORS_ORIGINS",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_with_nothing_set_it_is_development_on_localhost() -> None:
    s = settings()

    assert s.app_env == "development"
    assert s.rasa_url == "http://127.0.0.1:5005"
    assert s.action_server_url == "http://127.0.0.1:5055"
    assert s.rasa_api_token is None
    assert (s.bind_host, s.rasa_port, s.action_port, s.web_port) == ("127.0.0.1", 5005, 5055, 8000)


def test_values_are_read_from_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", "http://rasa.internal:5005/")
    monkeypatch.setenv("RASA_API_TOKEN", "s3cret")
    monkeypatch.setenv("WEB_PORT", "9000")

    s = settings()

    assert s.rasa_url == "http://rasa.internal:5005"  # trailing slash removed
    assert s.rasa_api_token is not None
    assert s.rasa_api_token.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(s)
    assert s.web_port == 9000


def test_empty_values_as_in_env_example_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_API_TOKEN", "")
    monkeypatch.setenv("WECHAT_ENCODING_AES_KEY", "")

    s = settings()

    assert s.rasa_api_token is None
    assert s.wechat_encoding_aes_key is None


def test_production_refuses_to_start_without_a_staff_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")

    with pytest.raises(ValidationError, match="STAFF_API_TOKEN"):
        settings()

    monkeypatch.setenv("STAFF_API_TOKEN", "staff-token-0123456789")
    monkeypatch.setenv("RASA_API_TOKEN", "rasa-token-0123456789")
    # The staff console's accounts and session key are required too (tests/staff/test_staff_settings.py).
    monkeypatch.setenv("STAFF_USERS", f"zhangsan:{hash_password('a long passphrase')}")
    monkeypatch.setenv("SESSION_SECRET", "k" * 40)
    assert settings().is_production


def test_an_unknown_app_env_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "staging")

    with pytest.raises(ValidationError):
        settings()


def test_a_wechat_aes_key_must_have_43_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WECHAT_ENCODING_AES_KEY", "too-short")
    with pytest.raises(ValidationError, match="43"):
        settings()

    monkeypatch.setenv("WECHAT_ENCODING_AES_KEY", "a" * 43)
    assert settings().wechat_encoding_aes_key is not None


def test_service_urls_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_URL", "localhost:5005")

    with pytest.raises(ValidationError, match="http"):
        settings()


def test_env_example_documents_every_setting() -> None:
    from bot.supervisor import REPO_ROOT

    example = (REPO_ROOT / ".env.example").read_text(encoding="utf-8")
    documented = {line.split("=")[0] for line in example.splitlines() if "=" in line}

    assert {name.upper() for name in Settings.__fields__} <= documented


def sender_hash_key_errors() -> list[str]:
    """The errors about SENDER_HASH_KEY alone (production also needs other settings)."""
    try:
        settings()
    except ValidationError as error:
        return [str(e["msg"]) for e in error.errors() if e["loc"] == ("sender_hash_key",)]
    return []


def test_production_with_wechat_refuses_the_development_sender_hash_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import DEVELOPMENT_SENDER_HASH_KEY

    monkeypatch.setenv("APP_ENV", "production")
    assert sender_hash_key_errors() == []  # WeChat off: no openid is hashed

    monkeypatch.setenv("WECHAT_TOKEN", "wx-token-0123456789")
    for refused in ("", DEVELOPMENT_SENDER_HASH_KEY, "short"):
        monkeypatch.setenv("SENDER_HASH_KEY", refused)
        assert sender_hash_key_errors(), refused

    monkeypatch.setenv("SENDER_HASH_KEY", "a-long-random-production-key")
    assert sender_hash_key_errors() == []


def test_in_development_the_sender_hash_has_a_fixed_key() -> None:
    assert settings().sender_hash_secret == b"development-only-sender-hash-key"

def test_the_wechat_api_base_url_defaults_to_wechat_and_can_point_at_a_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings().wechat_api_base_url == "https://api.weixin.qq.com"

    monkeypatch.setenv("WECHAT_API_BASE_URL", "http://127.0.0.1:8999/")
    assert settings().wechat_api_base_url == "http://127.0.0.1:8999"

    monkeypatch.setenv("WECHAT_API_BASE_URL", "api.weixin.qq.com")
    with pytest.raises(ValidationError, match="http"):
        settings()


def test_cors_origins_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://www.zibo.gov.cn/, http://127.0.0.1:8080")

    assert settings().cors_origins == ["https://www.zibo.gov.cn", "http://127.0.0.1:8080"]


def test_no_cors_origins_means_same_origin_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "")

    assert settings().cors_origins == []


@pytest.mark.parametrize("origin", ["*", "https://www.zibo.gov.cn/chat", "www.zibo.gov.cn", "https://*.zibo.gov.cn"])
def test_a_cors_origin_must_be_an_exact_origin(monkeypatch: pytest.MonkeyPatch, origin: str) -> None:
    monkeypatch.setenv("CORS_ORIGINS", origin)

    with pytest.raises(ValidationError, match="not an origin"):
        settings()
