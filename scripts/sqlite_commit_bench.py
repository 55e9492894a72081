"""What a durable SQLite commit costs here: WAL with synchronous=FULL against NORMAL.

    .venv/bin/python scripts/sqlite_commit_bench.py [--commits 300]

The embedded profile's tracker store runs SQLite in WAL mode with synchronous=FULL (each
commit syncs the log). This commits one ~800-byte row at a time, as a turn's save does, in a
fresh database under var/ (the disk the tracker store uses) and prints p50 and mean per
commit for each setting. Not part of the tests.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(sync: str, commits: int, directory: Path) -> list[float]:
    connection = sqlite3.connect(directory / f"commit-{sync}.db", isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(f"PRAGMA synchronous={sync}")
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, data TEXT)")
        times = []
        for _ in range(commits):
            started = time.perf_counter()
            connection.execute("BEGIN")
            connection.execute("INSERT INTO events (data) VALUES (?)", ("x" * 800,))
            connection.execute("COMMIT")
            times.append(time.perf_counter() - started)
        return times
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=300)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as name:
        for sync in ("FULL", "NORMAL"):
            times = measure(sync, args.commits, Path(name))
            print(f"synchronous={sync}: p50 {statistics.median(times) * 1000:.3f} ms, "
                  f"mean {statistics.fmean(times) * 1000:.3f} ms ({args.commits} commits)")


if __name__ == "__main__":
    main()
