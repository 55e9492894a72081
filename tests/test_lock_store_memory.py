"""The embedded profile's conversation lock (bot/lock_store.py): Rasa's in-memory lock store,
looking every 20 ms whether a user's earlier message is done instead of every second."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core import lock_store as rasa_lock_store
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import POLL_INTERVAL, PromptInMemoryLockStore


def test_a_users_messages_run_one_at_a_time_in_order_and_waiters_look_every_20_ms(
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = PromptInMemoryLockStore()
    waits: list[float] = []
    sleep = asyncio.sleep

    async def recorded_sleep(delay: float, *args: object) -> None:
        waits.append(delay)
        await sleep(0)

    monkeypatch.setattr(rasa_lock_store.asyncio, "sleep", recorded_sleep)
    inside: list[int] = []
    order: list[int] = []

    async def message(number: int) -> None:
        async with store.lock("one-user"):
            inside.append(number)
            assert len(inside) == 1, f"{inside} hold the lock together"
            order.append(number)
            for _ in range(5):  # work that yields to the other messages
                await sleep(0)
            inside.remove(number)

    async def burst() -> None:
        tasks = []
        for number in range(3):
            tasks.append(asyncio.create_task(message(number)))
            await sleep(0)
        await asyncio.gather(*tasks)

    asyncio.run(burst())
    assert order == [0, 1, 2]
    assert waits and set(waits) == {POLL_INTERVAL}  # Rasa's store waited 1 s each time
    assert store.conversation_locks == {}  # nothing left behind


def test_rasa_builds_it_from_endpoints_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    store = LockStore.create(EndpointConfig(type="bot.lock_store.PromptInMemoryLockStore"))
    assert isinstance(store, PromptInMemoryLockStore) and store.poll_interval == POLL_INTERVAL
    tuned = LockStore.create(EndpointConfig(type="bot.lock_store.PromptInMemoryLockStore", poll_interval=0.05))
    assert isinstance(tuned, PromptInMemoryLockStore) and tuned.poll_interval == 0.05
    with pytest.raises(ValueError, match="unknown option"):
        PromptInMemoryLockStore(EndpointConfig(url="127.0.0.1", port=6379))
    with pytest.raises(ValueError, match="positive"):
        PromptInMemoryLockStore(poll_interval=0)


def test_several_sanic_workers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker would have its own in-memory locks; Rasa allows it with a custom store."""
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(ValueError, match="SANIC_WORKERS must be 1"):
        PromptInMemoryLockStore()
