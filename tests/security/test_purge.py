"""`python -m bot.purge`: whole conversations older than N days go, active ones stay.

Here on a SQLite store with Rasa's `events` table; on the real stack's own tracker database
in test_faults.py (test_purge_on_the_real_tracker_store), on PostgreSQL in
tests/test_prod_profile.py.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
import yaml

from bot.purge import main, purge, writable_url

DAY = 86400.0
NOW = 1_800_000_000.0


def store(tmp_path: Path, conversations: dict[str, list[float]]) -> Path:
    """A tracker database like Rasa's (`events`: id, sender_id, type_name, timestamp, data)."""
    db = tmp_path / "tracker.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                           "type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), "
                           "action_name VARCHAR(255), data TEXT)")
        for sender, ages in conversations.items():
            for age in ages:
                connection.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                                   (sender, "user", NOW - age * DAY, "{}"))
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(db)}}))
    return endpoints


def senders(endpoints: Path) -> set[str]:
    db = yaml.safe_load(endpoints.read_text())["tracker_store"]["db"]
    with sqlite3.connect(db) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}


def test_conversations_whose_last_event_is_older_than_n_days_are_deleted_whole(tmp_path: Path) -> None:
    endpoints = store(tmp_path, {"old": [400, 200], "recent": [2, 1], "old-but-came-back": [300, 10]})

    result = purge(writable_url(endpoints), days=180, now=NOW)

    assert (result.conversations, result.events) == (1, 2)
    assert senders(endpoints) == {"recent", "old-but-came-back"}


def test_a_dry_run_counts_and_deletes_nothing(tmp_path: Path) -> None:
    endpoints = store(tmp_path, {"old": [400, 200], "recent": [1]})

    result = purge(writable_url(endpoints), days=30, now=NOW, dry_run=True)

    assert (result.conversations, result.events) == (1, 2)
    assert senders(endpoints) == {"old", "recent"}


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    endpoints = store(tmp_path, {"a": [(NOW - time.time()) / DAY + 100]})  # 100 days old today

    assert main(["--days", "200", "--endpoints", str(endpoints)]) == 0
    assert senders(endpoints) == {"a"}
    assert main(["--days", "90", "--endpoints", str(endpoints)]) == 0
    assert senders(endpoints) == set()
    assert "deleted 1 conversations (1 events)" in capsys.readouterr().out


def test_no_database_yet_is_nothing_to_delete_and_none_is_created(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite",
                                                           "db": str(tmp_path / "none.db")}}))
    assert main(["--days", "30", "--endpoints", str(endpoints)]) == 0
    assert not (tmp_path / "none.db").exists()


def test_days_below_one_are_refused(tmp_path: Path) -> None:
    endpoints = store(tmp_path, {"a": [1]})
    with pytest.raises(SystemExit):
        main(["--days", "0", "--endpoints", str(endpoints)])
    with pytest.raises(ValueError):
        purge(writable_url(endpoints), days=0)
