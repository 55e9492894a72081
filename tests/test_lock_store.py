"""The production profile's conversation lock (bot/lock_store.py) against a real Redis.

Several OS processes, each with its own store (as several Rasa servers have), take the same
conversation's lock many times and do a read-modify-write inside it: with a lock that lets
two in at once, updates are lost and the overlap is seen. Rasa's own RedisLockStore is shown
letting two servers in at once, step by step, which is why the profile does not use it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore
from bot.pg_redis import PgRedis
from tests.support import free_ports

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def redis_options() -> Iterator[dict[str, object]]:
    # Not under pytest's tmp: redis runs as its own user and must reach its folder.
    directory = Path(tempfile.mkdtemp(prefix="zibo-lock-"))
    directory.chmod(0o755)
    pg_port, redis_port = free_ports(2)
    services = PgRedis(data_dir=directory / "pg-redis", pg_port=pg_port, redis_port=redis_port)
    env = services.start()
    try:
        yield {"host": env["REDIS_HOST"], "port": int(env["REDIS_PORT"]), "password": env["REDIS_PASSWORD"]}
    finally:
        services.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture()
def client(redis_options: dict[str, object]) -> redis.StrictRedis:
    red = redis.StrictRedis(db=1, **redis_options)  # type: ignore[arg-type]
    red.flushdb()
    return red


def _store(options: dict[str, object], **more: object) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(db=1, key_prefix="zibo", **options, **more)  # type: ignore[arg-type]


async def _counted_updates(options: dict[str, object], worker: int, rounds: int) -> int:
    """Take the lock `rounds` times; inside it, read a counter, yield, write it back plus one.
    Returns how often another holder was inside at the same time."""
    store = _store(options)
    red = store.red
    overlaps = 0
    for _ in range(rounds):
        async with store.lock("same-user"):
            if red.incr("inside") != 1:
                overlaps += 1
            value = int(red.get("counter") or 0)
            await asyncio.sleep(0.001 * (worker % 3))  # other holders would run here
            red.set("counter", value + 1)
            red.decr("inside")
    return overlaps


def _worker(options: dict[str, object], worker: int, rounds: int, start_at: float, out: multiprocessing.Queue) -> None:
    time.sleep(max(0.0, start_at - time.time()))  # all processes start together
    try:
        out.put(asyncio.run(_counted_updates(options, worker, rounds)))
    except Exception as error:  # reported to the test, which fails with it
        out.put(repr(error))


def test_several_servers_take_a_conversations_lock_one_at_a_time(
        redis_options: dict[str, object], client: redis.StrictRedis) -> None:
    processes, rounds = 4, 40
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = context.Queue()
    start_at = time.time() + 3
    workers = [context.Process(target=_worker, args=(redis_options, w, rounds, start_at, out))
               for w in range(processes)]
    for process in workers:
        process.start()
    overlaps = [out.get(timeout=120) for _ in workers]
    for process in workers:
        process.join(timeout=30)
        assert process.exitcode == 0
    assert overlaps == [0] * processes
    assert int(client.get("counter") or 0) == processes * rounds  # no update lost


def test_tasks_of_one_server_are_served_in_the_order_their_tickets_were_issued(
        redis_options: dict[str, object], client: redis.StrictRedis) -> None:
    store = _store(redis_options)
    entered: list[int] = []

    async def message(number: int) -> None:
        async with store.lock("one-user"):
            entered.append(number)
            await asyncio.sleep(0.01)

    async def main() -> None:
        tasks = []
        for number in range(6):
            tasks.append(asyncio.create_task(message(number)))
            await asyncio.sleep(0)  # each task issues its ticket before the next starts
        await asyncio.gather(*tasks)

    asyncio.run(main())
    assert entered == list(range(6))


def test_nothing_is_left_in_redis_but_an_expiring_counter(
        redis_options: dict[str, object], client: redis.StrictRedis) -> None:
    store = _store(redis_options)

    async def turn() -> None:
        async with store.lock("tidy-user") as lock:
            assert lock.conversation_id == "tidy-user"
            assert store.get_lock("tidy-user") is not None

    asyncio.run(turn())
    assert store.get_lock("tidy-user") is None
    keys = sorted(key.decode() for key in client.keys("*"))
    assert keys == ["zibo:lock:tidy-user:issued"]
    assert 0 < client.pttl(keys[0]) <= 2 * 60_000


def test_a_lock_whose_holder_died_is_free_after_its_lifetime(
        redis_options: dict[str, object], client: redis.StrictRedis) -> None:
    store = _store(redis_options)

    async def main() -> float:
        # A server that died holding the lock: entered, never released.
        held = store.lock("orphaned-user", lock_lifetime=0.5)
        await held.__aenter__()
        started = time.monotonic()
        async with store.lock("orphaned-user"):
            waited = time.monotonic() - started
        return waited

    waited = asyncio.run(main())
    assert 0.3 < waited < 5


def test_a_waiter_whose_ticket_expires_gets_a_lock_error(
        redis_options: dict[str, object], client: redis.StrictRedis) -> None:
    store = _store(redis_options)

    async def main() -> None:
        async with store.lock("slow-user", lock_lifetime=30):
            with pytest.raises(LockError, match="expired"):
                async with store.lock("slow-user", lock_lifetime=0.3):
                    pytest.fail("entered while another held the lock")

    asyncio.run(main())
    assert store.get_lock("slow-user") is None


def test_an_unreachable_redis_is_a_lock_error() -> None:
    (closed_port,) = free_ports(1)
    store = AtomicRedisLockStore(host="127.0.0.1", port=closed_port, socket_timeout=1)

    async def main() -> None:
        async with store.lock("anyone"):
            pytest.fail("locked without Redis")

    with pytest.raises(LockError, match="Could not issue a ticket"):
        asyncio.run(main())


def test_redis_lost_while_waiting_is_a_lock_error(
        redis_options: dict[str, object], client: redis.StrictRedis) -> None:
    holder, waiter = _store(redis_options), _store(redis_options)
    (closed_port,) = free_ports(1)

    async def main() -> None:
        async with holder.lock("waiting-user"):
            waiting = waiter.lock("waiting-user")
            entered = asyncio.ensure_future(waiting.__aenter__())
            await asyncio.sleep(0.05)  # the ticket is issued, the waiter polls
            assert not entered.done()
            # The waiter's connections now go to a port nobody listens on.
            waiter.red.connection_pool = redis.ConnectionPool(host="127.0.0.1", port=closed_port)
            with pytest.raises(LockError, match="Lost Redis"):
                await entered

    asyncio.run(main())


def test_rasa_builds_it_from_the_endpoints_file_keys(redis_options: dict[str, object]) -> None:
    config = EndpointConfig(url=redis_options["host"], port=redis_options["port"],
                            password=redis_options["password"], db=1, key_prefix="zibo",
                            type="bot.lock_store.AtomicRedisLockStore")
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix == "zibo:lock:"
    assert store.red.ping()
    with pytest.raises(ValueError, match="unknown option"):
        AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=1, lock_timeout=5))
    with pytest.raises(ValueError, match="alphanumeric"):
        AtomicRedisLockStore(key_prefix="zibo:x")


def test_rasas_own_redis_lock_store_lets_two_servers_in_at_once(
        redis_options: dict[str, object], client: redis.StrictRedis) -> None:
    """Why the profile does not use Rasa's store: read-modify-write of one JSON value."""
    server_a = RedisLockStore(db=1, key_prefix="zibo", **redis_options)  # type: ignore[arg-type]
    server_b = RedisLockStore(db=1, key_prefix="zibo", **redis_options)  # type: ignore[arg-type]
    # Both read the queue before either writes it back (the two halves of issue_ticket).
    lock_a = server_a.get_or_create_lock("user")
    lock_b = server_b.get_or_create_lock("user")
    ticket_a = lock_a.issue_ticket(60)
    server_a.save_lock(lock_a)
    ticket_b = lock_b.issue_ticket(60)
    server_b.save_lock(lock_b)
    assert ticket_a == ticket_b
    stored = server_a.get_lock("user")
    assert stored is not None
    assert not stored.is_locked(ticket_a) and not stored.is_locked(ticket_b)  # both are "first"
