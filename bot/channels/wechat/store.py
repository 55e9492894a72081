"""Short-lived state of the WeChat channel behind one small interface.

The channel keeps: which messages it has seen (WeChat retries a message it got no
answer to within 5 s), the reply it gave them, each user's last numbered options and
"详情" pages, and the access token. `MemoryStore` serves one process; a Redis-backed
store with the same four methods (SET NX PX, GET, SET PX, DEL) serves several.
Keys never contain a raw openid: the channel uses the hashed sender id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class ChannelStore(Protocol):
    async def add(self, key: str, value: str, ttl_seconds: float) -> bool:
        """Set `key` only if absent; True when this call set it (the first to see a message)."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl_seconds: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...


class MemoryStore:
    """`ChannelStore` in this process's memory: entries expire, and the oldest go first past `max_entries`."""

    def __init__(self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: dict[str, tuple[float, str]] = {}
        self._max_entries = max_entries
        self._clock = clock

    def _live(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        return entry[1]

    def _put(self, key: str, value: str, ttl_seconds: float) -> None:
        self._entries.pop(key, None)  # re-inserted at the end: insertion order is age order
        self._entries[key] = (self._clock() + ttl_seconds, value)
        if len(self._entries) > self._max_entries:
            now = self._clock()
            for stale in [k for k, (expires, _) in self._entries.items() if expires <= now]:
                del self._entries[stale]
            while len(self._entries) > self._max_entries:
                del self._entries[next(iter(self._entries))]

    async def add(self, key: str, value: str, ttl_seconds: float) -> bool:
        if self._live(key) is not None:
            return False
        self._put(key, value, ttl_seconds)
        return True

    async def get(self, key: str) -> str | None:
        return self._live(key)

    async def set(self, key: str, value: str, ttl_seconds: float) -> None:
        self._put(key, value, ttl_seconds)

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._entries.pop(key, None)
