"""The in-process store behind deduplication, options and "详情" pages."""

from __future__ import annotations

from bot.channels.wechat import MemoryStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_add_sets_only_the_first_time_until_the_entry_expires() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)

    assert await store.add("seen:1", "pending", ttl_seconds=10)
    assert not await store.add("seen:1", "pending", ttl_seconds=10)
    assert await store.get("seen:1") == "pending"

    clock.now += 10
    assert await store.get("seen:1") is None
    assert await store.add("seen:1", "again", ttl_seconds=10)


async def test_set_overwrites_and_delete_removes() -> None:
    store = MemoryStore()
    await store.set("k", "a", 60)
    await store.set("k", "b", 60)
    assert await store.get("k") == "b"

    await store.delete("k", "missing")
    assert await store.get("k") is None


async def test_past_max_entries_expired_then_oldest_entries_go_first() -> None:
    clock = Clock()
    store = MemoryStore(max_entries=3, clock=clock)
    await store.set("short", "x", 1)
    await store.set("old", "x", 100)
    await store.set("mid", "x", 100)
    clock.now += 5
    await store.set("new", "x", 100)  # "short" has expired: nothing else needs to go
    assert [await store.get(k) for k in ("old", "mid", "new")] == ["x", "x", "x"]

    await store.set("newest", "x", 100)
    assert await store.get("old") is None
    assert [await store.get(k) for k in ("mid", "new", "newest")] == ["x", "x", "x"]
