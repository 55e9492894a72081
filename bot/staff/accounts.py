"""Staff accounts: configured by the operator, passwords kept as Argon2id hashes.

The operator sets ``STAFF_USERS`` to ``name:hash`` entries separated by ``;``
(an Argon2 hash contains commas, never a semicolon or a space). Make an entry with

    python -m bot.staff.accounts zhangsan      # asks for the password twice

In development, when ``STAFF_USERS`` is not set, one account ``staff`` with the
password ``DEV_PASSWORD`` exists so that ``make run`` and the tests can log in;
outside development the settings refuse to start without real accounts.
"""

from __future__ import annotations

import getpass
import re
import sys
from collections.abc import Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

DEV_USER = "staff"
DEV_PASSWORD = "zibo-staff-dev"  # development only: refused outside development
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")

_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile


class AccountsError(ValueError):
    """STAFF_USERS is malformed."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def parse_accounts(text: str) -> dict[str, str]:
    """``"alice:$argon2id$...;bob:$argon2id$..."`` -> ``{"alice": "$argon2id$...", ...}``."""
    accounts: dict[str, str] = {}
    for entry in (e.strip() for e in re.split(r"[;\n]", text)):
        if not entry:
            continue
        name, sep, hashed = entry.partition(":")
        name, hashed = name.strip(), hashed.strip()
        if not sep or not USERNAME.match(name):
            raise AccountsError(f"STAFF_USERS: bad entry for {name!r}: expected name:argon2-hash")
        if not hashed.startswith("$argon2"):
            raise AccountsError(f"STAFF_USERS: the password of {name!r} is not an Argon2 hash")
        if name in accounts:
            raise AccountsError(f"STAFF_USERS: {name!r} is listed twice")
        accounts[name] = hashed
    if not accounts:
        raise AccountsError("STAFF_USERS lists no account")
    return accounts


class Accounts:
    """Name -> password hash, and the check at login."""

    def __init__(self, hashes: Mapping[str, str]) -> None:
        self._hashes = dict(hashes)
        # Checked when the name is unknown, so a wrong name costs as long as a wrong password.
        self._dummy = hash_password("no such account")

    @classmethod
    def development(cls) -> Accounts:
        return cls({DEV_USER: hash_password(DEV_PASSWORD)})

    def __contains__(self, name: object) -> bool:
        return name in self._hashes

    def verify(self, name: str, password: str) -> bool:
        hashed = self._hashes.get(name)
        try:
            return _hasher.verify(hashed or self._dummy, password) and hashed is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def uses_password(self, password: str) -> list[str]:
        """Names of the accounts whose password is ``password`` (to refuse the default)."""
        found = []
        for name, hashed in self._hashes.items():
            try:
                if _hasher.verify(hashed, password):
                    found.append(name)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                pass
        return found


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not USERNAME.match(argv[0]):
        print("usage: python -m bot.staff.accounts NAME   (prints a STAFF_USERS entry)", file=sys.stderr)
        return 2
    password = getpass.getpass("密码: ")
    if len(password) < 10:
        print("密码至少10个字符", file=sys.stderr)
        return 1
    if getpass.getpass("再输入一次: ") != password:
        print("两次输入不一致", file=sys.stderr)
        return 1
    print(f"{argv[0]}:{hash_password(password)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
