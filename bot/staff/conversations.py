"""Find a citizen's conversation by the consultation code the chat gave them.

The chat stores the code in the slot ``consultation_code`` and what it learnt in the
slot ``facts``. Both are slot events in Rasa's tracker store, so this module reads the
store's ``events`` table directly, read-only, with the connection settings of the same
``endpoints.yml`` Rasa runs with (SQLite now, PostgreSQL later: the same query).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import URL, Engine

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{6}$")
"""Six characters from A-Z without I and O, and 2-9 (no 0/O or 1/I to mix up on the phone)."""

_ENV_VAR = re.compile(r"\$\{([^}]+)\}")


class TrackerStoreUnavailable(RuntimeError):
    """endpoints.yml names no SQL tracker store, or the database cannot be read."""


def normalize_code(raw: str) -> str | None:
    """``" zb3k7q "`` -> ``"ZB3K7Q"``; None when it cannot be a consultation code."""
    code = re.sub(r"[\s-]", "", raw).upper()
    return code if CODE.match(code) else None


@dataclass(frozen=True)
class Turn:
    speaker: str  # "user" or "bot"
    text: str
    timestamp: float


@dataclass(frozen=True)
class Consultation:
    code: str
    sender_id: str
    facts: dict[str, Any]
    transcript: list[Turn]
    payloads: list[dict[str, Any]] = field(default_factory=list)  # bot `custom` payloads, in order
    started: float | None = None
    last_active: float | None = None


# Rasa's own SQL store and our subclass of it (bot/tracker_store.py) keep the same tables.
SQL_STORE_TYPES = {"SQL", "BOT.TRACKER_STORE.TUNEDSQLTRACKERSTORE", "BOT.TRACKER_STORE.PREPINGSQLTRACKERSTORE"}


def database_url(endpoints_file: Path, environ: Mapping[str, str] = os.environ) -> str | URL:
    """SQLAlchemy URL of the tracker store in ``endpoints_file``, built as Rasa builds it."""
    try:
        raw = endpoints_file.read_text(encoding="utf-8")
    except OSError as error:
        raise TrackerStoreUnavailable(f"cannot read {endpoints_file}: {error.strerror}") from None
    # Rasa expands ${VAR} when it reads the file; do the same (unset: left as is).
    config = yaml.safe_load(_ENV_VAR.sub(lambda m: environ.get(m.group(1), m.group(0)), raw)) or {}
    store = config.get("tracker_store") or {}
    if str(store.get("type", "")).upper() not in SQL_STORE_TYPES:
        raise TrackerStoreUnavailable("endpoints.yml has no SQL tracker store; consultations are not kept")
    dialect = store.get("dialect", "sqlite")
    db = str(store.get("db", "rasa.db"))
    if dialect == "sqlite":
        # Read-only, and never create an empty database where none exists yet.
        return f"sqlite:///file:{Path(db).resolve()}?mode=ro&uri=true"
    host = store.get("url") or store.get("host")  # Rasa passes `url` to the SQL tracker store as its host
    if host and "://" in str(host):
        return str(host)
    return URL.create(
        dialect,
        username=store.get("username"),
        password=store.get("password"),
        host=host,
        port=store.get("port"),
        database=db,
        query=store.get("query") or {},
    )


class ConsultationStore:
    """Read-only access to consultations in Rasa's tracker store."""

    def __init__(self, url: str | URL) -> None:
        self._engine: Engine = sa.create_engine(url, future=True, pool_pre_ping=True)
        self._events = sa.table(
            "events",
            sa.column("id", sa.Integer),
            sa.column("sender_id", sa.String),
            sa.column("type_name", sa.String),
            sa.column("timestamp", sa.Float),
            sa.column("data", sa.Text),
        )

    @classmethod
    def from_endpoints(cls, endpoints_file: Path) -> ConsultationStore:
        return cls(database_url(endpoints_file))

    def find(self, code: str) -> Consultation | None:
        """The conversation in which the chat gave out ``code`` (the latest, should two exist)."""
        events = self._events
        try:
            with self._engine.connect() as connection:
                candidates = connection.execute(
                    sa.select(events.c.sender_id, events.c.data)
                    .where(events.c.type_name == "slot", events.c.data.contains(code))
                    .order_by(events.c.id.desc())
                ).all()
                sender = next(
                    (row.sender_id for row in candidates if _sets_code(row.data, code)),
                    None,
                )
                if sender is None:
                    return None
                rows = connection.execute(
                    sa.select(events.c.type_name, events.c.timestamp, events.c.data)
                    .where(events.c.sender_id == sender)
                    .order_by(events.c.id)
                ).all()
        except sa.exc.SQLAlchemyError as error:
            if "no such table" in str(error) or "unable to open database" in str(error):
                return None  # Rasa has not stored any conversation yet
            raise TrackerStoreUnavailable(f"the tracker store cannot be read: {type(error).__name__}") from None
        return _consultation(code, sender, rows)


def _load(data: str | None) -> dict[str, Any]:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _sets_code(data: str | None, code: str) -> bool:
    event = _load(data)
    return event.get("name") == "consultation_code" and event.get("value") == code


def _consultation(code: str, sender: str, rows: list[Any]) -> Consultation:
    facts: dict[str, Any] = {}
    transcript: list[Turn] = []
    payloads: list[dict[str, Any]] = []
    for row in rows:
        event = _load(row.data)
        if row.type_name == "slot" and event.get("name") == "facts":
            facts = dict(event["value"]) if isinstance(event.get("value"), dict) else {}
        elif row.type_name == "user" and event.get("text"):
            transcript.append(Turn("user", str(event["text"]), row.timestamp))
        elif row.type_name == "bot":
            if event.get("text"):
                transcript.append(Turn("bot", str(event["text"]), row.timestamp))
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, dict):
                payloads.append(custom)
    stamps = [row.timestamp for row in rows if row.timestamp is not None]
    return Consultation(
        code=code,
        sender_id=sender,
        facts=facts,
        transcript=transcript,
        payloads=payloads,
        started=min(stamps, default=None),
        last_active=max(stamps, default=None),
    )
