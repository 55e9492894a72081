"""Outside development the app refuses to start with a default password or secret."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.settings import DEV_SESSION_SECRET, Settings
from bot.staff.accounts import DEV_PASSWORD, Accounts, hash_password, parse_accounts

GOOD_USERS = f"zhangsan:{hash_password('a long passphrase')}"
PRODUCTION = {"app_env": "production", "staff_api_token": "t" * 16, "rasa_api_token": "r" * 16,
              "staff_users": GOOD_USERS, "session_secret": "k" * 40}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("APP_ENV", "STAFF_USERS", "SESSION_SECRET", "STAFF_SESSION_MINUTES", "STAFF_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_production_starts_with_real_accounts_and_secret() -> None:
    s = settings(**PRODUCTION)
    assert s.session_secret_value == "k" * 40
    assert GOOD_USERS not in repr(s)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"staff_users": None}, "STAFF_USERS must be set"),
        ({"staff_users": ""}, "STAFF_USERS must be set"),
        ({"staff_users": f"staff:{hash_password(DEV_PASSWORD)}"}, "development password"),
        ({"session_secret": None}, "SESSION_SECRET must be set"),
        ({"session_secret": DEV_SESSION_SECRET}, "SESSION_SECRET must be set"),
        ({"session_secret": "short"}, "at least 32"),
    ],
)
def test_production_refuses_defaults(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        settings(**{**PRODUCTION, **change})


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFF_USERS", GOOD_USERS)
    monkeypatch.setenv("STAFF_SESSION_MINUTES", "30")
    s = settings()
    assert s.staff_users is not None and s.staff_users.get_secret_value() == GOOD_USERS
    assert s.staff_session_minutes == 30


@pytest.mark.parametrize(
    "users",
    ["zhangsan", "zhangsan:plaintext", "bad name:$argon2id$x", f"{GOOD_USERS};{GOOD_USERS}", ";"],
)
def test_malformed_accounts_are_refused_in_any_mode(users: str) -> None:
    with pytest.raises(ValidationError):
        settings(staff_users=users)


@pytest.mark.parametrize("minutes", [0, 4, 1441])
def test_session_length_is_bounded(minutes: int) -> None:
    with pytest.raises(ValidationError):
        settings(staff_session_minutes=minutes)


def test_several_accounts_and_their_passwords() -> None:
    users = f"{GOOD_USERS}; lisi:{hash_password('another passphrase')}\n"
    accounts = Accounts(parse_accounts(users))
    assert accounts.verify("lisi", "another passphrase")
    assert not accounts.verify("lisi", "a long passphrase")
    assert not accounts.verify("nobody", "a long passphrase")
    assert parse_accounts(users)["zhangsan"].startswith("$argon2id$")
