"""Delete conversations older than N days from Rasa's SQL tracker store.

    python -m bot.purge --days 180 [--endpoints endpoints.yml | --prod] [--dry-run]
    make purge DAYS=180            (make purge-prod DAYS=180 for the production profile)

A conversation is old when its latest event is older than N days; all of its events go then
(the facts, the transcript, its consultation code), never part of a conversation that is still
going on. The tracker store is the one in the endpoints file Rasa runs with (SQLite by default,
PostgreSQL in the production profile, ``${VAR}`` expanded from the environment as Rasa does).
Safe while Rasa runs: one transaction, and a conversation active in the last N days is kept.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from bot.pg_redis import DEFAULT_DATA_DIR, PgRedis, PgRedisError
from bot.staff.conversations import TrackerStoreUnavailable, database_url

DEFAULT_RETENTION_DAYS = 180
PROD_ENDPOINTS = Path(__file__).resolve().parent.parent / "endpoints-prod.yml"


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int


def writable_url(endpoints_file: Path) -> str | URL:
    """The store's URL, writable (the staff console opens SQLite read-only)."""
    url = database_url(endpoints_file, os.environ)
    if isinstance(url, str) and url.startswith("sqlite:///file:"):
        # Read-write, but never create a database where Rasa has made none.
        return url.replace("mode=ro", "mode=rw")
    return url


def purge(url: str | URL, days: float, now: float | None = None, dry_run: bool = False) -> PurgeResult:
    """Delete every conversation whose latest event is older than ``days``; what was (or would be) deleted."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now if now is not None else time.time()) - days * 86400
    events = sa.table("events", sa.column("sender_id", sa.String), sa.column("timestamp", sa.Float))
    old = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    engine = sa.create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                return PurgeResult(0, 0)
            senders = connection.execute(old).scalars().all()
            count = connection.execute(
                sa.select(sa.func.count()).select_from(events).where(events.c.sender_id.in_(old))
            ).scalar_one()
            if not dry_run and senders:
                connection.execute(sa.delete(events).where(events.c.sender_id.in_(old)))
    finally:
        engine.dispose()
    return PurgeResult(len(senders), int(count))


def _prod_store_env() -> dict[str, str]:
    store = PgRedis(
        data_dir=Path(os.environ.get("PG_REDIS_DIR", DEFAULT_DATA_DIR)),
        pg_port=int(os.environ.get("PG_PORT", "55432")),
        redis_port=int(os.environ.get("REDIS_PORT", "56379")),
    )
    return store.env()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.purge", description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=DEFAULT_RETENTION_DAYS,
                        help=f"keep conversations active in the last DAYS days (default {DEFAULT_RETENTION_DAYS})")
    parser.add_argument("--endpoints", type=Path, default=Path(os.environ.get("RASA_ENDPOINTS", "endpoints.yml")),
                        help="the endpoints file Rasa runs with (default $RASA_ENDPOINTS or endpoints.yml)")
    parser.add_argument("--prod", action="store_true",
                        help="the production profile's PostgreSQL (endpoints-prod.yml, credentials from "
                             "scripts/pg-redis.sh env; PG_REDIS_DIR, PG_PORT as for make run-prod)")
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    try:
        if args.prod:
            args.endpoints = PROD_ENDPOINTS
            os.environ.update(_prod_store_env())
        result = purge(writable_url(args.endpoints), args.days, dry_run=args.dry_run)
    except (TrackerStoreUnavailable, PgRedisError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError as error:
        if "unable to open database" in str(error):
            print(f"no tracker database yet ({args.endpoints}): nothing to delete")
            return 0
        print(f"error: the tracker store cannot be changed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    verb = "would delete" if args.dry_run else "deleted"
    print(f"{verb} {result.conversations} conversations ({result.events} events) "
          f"with no activity in the last {args.days} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
