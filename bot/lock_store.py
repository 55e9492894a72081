"""A conversation lock in Redis that several Rasa servers can share safely.

Rasa takes a lock per conversation around every turn, so that two messages of one user are
processed one after the other. Rasa 3.6's ``RedisLockStore`` keeps each conversation's ticket
queue as one JSON value and changes it by reading it, changing it in Python and writing it
back (``get_lock`` … ``save_lock``). Between two Rasa servers that is a race (RasaHQ/rasa#9213;
the fix, ``ConcurrentRedisLockStore``, went to Rasa Pro only):

* two servers issuing a ticket at the same moment both read the same queue, both take the
  same ticket number, and the second write replaces the first: both think they are first and
  process the same user's two messages at once. Both then save the tracker they read before
  the other's events, so facts the user gave are lost;
* a server finishing its turn deletes the queue when it saw no one waiting; a ticket issued
  between that look and the delete is deleted with it, and its message fails with
  ``LockError`` (the user's message is lost, the reply is an error).

A user who sends two messages quickly (common in WeChat) meets both once the web app
round-robins between servers. Here every change of a queue is one Lua script, which Redis runs
atomically, so the read and the write cannot be interleaved; that is also fewer round trips
than Rasa's eight or so a turn (issue a ticket and find out whether it is first: one script;
release: one script). Semantics are Rasa's: tickets are served in the order they were issued
(first come, first served); each ticket expires ``lock_lifetime`` seconds after it was issued
(``TICKET_LOCK_LIFETIME``, 60 s by default), so a server that died holding a lock delays that
conversation by at most that long; a waiter whose own ticket expires gets ``LockError``.
Expiry uses the Redis server's clock, so the Rasa servers' clocks need not agree (a script
may read the clock before it writes from Redis 5 on; Debian's is 7).

Waiting is a poll of one script every ``poll_interval`` seconds (20 ms), not Rasa's one second:
the second of two quick messages no longer waits a second after the first is done. The redis
client is synchronous like Rasa's own (one short call on loopback; asyncio sleeps between polls).

Configured in endpoints-prod.yml (``type: bot.lock_store.AtomicRedisLockStore``) with the same
keys as Rasa's ``redis`` lock store (url, port, password, db, key_prefix).

The embedded profile has one Rasa server, whose in-memory lock is safe (asyncio runs one
ticket change at a time), but it too waits a whole second between looks: of five messages a
user sent at once, the fifth was answered after 4.1 s (``scripts/burst_bench.py``, docs/
benchmarks.md), past WeChat's 4-second reply deadline (bot/channels/wechat).
``PromptInMemoryLockStore`` (endpoints.yml) is Rasa's in-memory store looking every 20 ms: 0.17 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
)
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

POLL_INTERVAL = 0.02

# KEYS[1]: sorted set, ticket token -> ticket number (the queue, in issue order)
# KEYS[2]: hash, ticket token -> expiry (Redis server time, ms)
# Every script first drops the expired tickets, then does its one change.
_DROP_EXPIRED = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
for _, token in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local expires = tonumber(redis.call('HGET', KEYS[2], token))
  if (not expires) or expires <= now then
    redis.call('ZREM', KEYS[1], token)
    redis.call('HDEL', KEYS[2], token)
  end
end
"""

# KEYS[3]: the counter of issued ticket numbers. ARGV: token, lifetime in ms.
# Returns {ticket number, 1 if the ticket is first in the queue else 0}.
ISSUE_SCRIPT = _DROP_EXPIRED + """
local lifetime = tonumber(ARGV[2])
local number = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], number, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], now + lifetime)
-- The keys outlive every ticket in them, then go: nothing is left behind by a server that died.
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], 2 * lifetime) end
local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if first == ARGV[1] then return {number, 1} end
return {number, 0}
"""

# ARGV: token. Returns 1 if the ticket is first, 0 if it waits, -1 if it expired.
TRY_SCRIPT = _DROP_EXPIRED + """
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return -1 end
if redis.call('ZRANGE', KEYS[1], 0, 0)[1] == ARGV[1] then return 1 end
return 0
"""

# ARGV: token. Removes the ticket; an empty queue is deleted. Returns the tickets left.
RELEASE_SCRIPT = _DROP_EXPIRED + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local left = redis.call('ZCARD', KEYS[1])
if left == 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
return left
"""


class AtomicRedisLockStore:
    """Rasa's ticket lock, each change of a conversation's queue one atomic Redis script.

    Rasa calls only ``lock()`` of a lock store (the agent, the processor and the HTTP API, each
    around one turn or one change of a conversation). ``LockStore``'s other methods change a
    queue by reading it, changing it in Python and writing it back, the race this class exists
    to avoid, so it does not inherit them; ``get_lock`` shows a queue for inspection.
    """

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        *,
        host: str = "localhost",
        port: int = 6379,
        db: int = 1,
        password: str | None = None,
        key_prefix: str | None = None,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        if endpoint_config is not None:  # the lock_store section of an endpoints file, from Rasa
            options = dict(endpoint_config.kwargs)
            host = endpoint_config.url or host
            port = int(options.pop("port", port))
            db = int(options.pop("db", db))
            password = options.pop("password", password)
            key_prefix = options.pop("key_prefix", key_prefix)
            socket_timeout = float(options.pop("socket_timeout", socket_timeout))
            poll_interval = float(options.pop("poll_interval", poll_interval))
            if options:
                raise ValueError(f"lock_store: unknown option(s) {sorted(options)}")
        self.red = redis.StrictRedis(host=host, port=int(port), db=int(db), password=password,
                                     socket_timeout=socket_timeout)
        # Rasa's key layout: "<prefix>:lock:<conversation>", here with three suffixes.
        if key_prefix and not (isinstance(key_prefix, str) and key_prefix.isalnum()):
            raise ValueError(f"lock_store key_prefix must be alphanumeric, not {key_prefix!r}")
        self.key_prefix = f"{key_prefix}:{DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX}" if key_prefix \
            else DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if poll_interval <= 0:
            raise ValueError("lock_store poll_interval must be positive")
        self.poll_interval = poll_interval
        self._issue = self.red.register_script(ISSUE_SCRIPT)
        self._try = self.red.register_script(TRY_SCRIPT)
        self._release = self.red.register_script(RELEASE_SCRIPT)

    def _keys(self, conversation_id: str) -> list[str]:
        base = self.key_prefix + conversation_id
        return [f"{base}:queue", f"{base}:expires", f"{base}:issued"]

    @contextlib.asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation's lock: wait for this ticket's turn, release it on exit.

        Raises ``LockError`` when Redis cannot be reached or the ticket expired while waiting
        (the holder took longer than ``lock_lifetime``); Rasa answers the message with an error
        then, as it does with its own lock store.
        """
        keys = self._keys(conversation_id)
        token = uuid.uuid4().hex
        lifetime_ms = max(1, int(lock_lifetime * 1000))
        try:
            number, first = self._issue(keys=keys, args=[token, lifetime_ms])
        except redis.RedisError as error:
            raise LockError(f"Could not issue a ticket for conversation '{conversation_id}': {error}") from error
        try:
            interval = min(self.poll_interval, wait_time_in_seconds)
            while not first:
                await asyncio.sleep(interval)
                try:
                    state = self._try(keys=keys[:2], args=[token])
                except redis.RedisError as error:
                    raise LockError(f"Lost Redis while waiting for a conversation's lock: {error}") from error
                if state < 0:
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}': "
                                    f"its ticket expired after {lock_lifetime:.0f} s of waiting.")
                first = state == 1
            yield TicketLock(conversation_id, deque([Ticket(int(number), time.time() + lock_lifetime)]))
        finally:
            self._release_quietly(keys, token)

    def _release_quietly(self, keys: list[str], token: str) -> None:
        # The turn is done (and saved) when this runs; if Redis is gone now, failing the turn
        # would tell the user their message was lost when it was not. The ticket expires.
        try:
            self._release(keys=keys[:2], args=[token])
        except redis.RedisError as error:
            logger.warning("lock store: could not release the lock of a conversation (%s); "
                           "it expires on its own", type(error).__name__)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """The conversation's queue as Rasa's ``TicketLock`` (read only; for inspection)."""
        queue_key, expires_key, _ = self._keys(conversation_id)
        tokens = self.red.zrange(queue_key, 0, -1, withscores=True)
        if not tokens:
            return None
        expiries = self.red.hmget(expires_key, [token for token, _ in tokens])
        tickets = [Ticket(int(number), float(expires or 0) / 1000)
                   for (_, number), expires in zip(tokens, expiries, strict=True)]
        return TicketLock(conversation_id, deque(tickets))


class PromptInMemoryLockStore(InMemoryLockStore):
    """Rasa's in-memory lock store (one Rasa server), waiting ``poll_interval`` between looks."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, *, poll_interval: float = POLL_INTERVAL) -> None:
        if endpoint_config is not None:
            options = dict(endpoint_config.kwargs)
            poll_interval = float(options.pop("poll_interval", poll_interval))
            if options or endpoint_config.url:
                raise ValueError(f"lock_store: unknown option(s) {sorted(options) or ['url']}")
        if poll_interval <= 0:
            raise ValueError("lock_store poll_interval must be positive")
        # Rasa lets a custom lock store run several Sanic workers (SANIC_WORKERS); each would
        # have its own in-memory locks, and one user's messages could run at once.
        if int(os.environ.get("SANIC_WORKERS", "1") or 1) > 1:
            raise ValueError("PromptInMemoryLockStore locks within one process: SANIC_WORKERS must be 1 "
                             "(several servers: the production profile's AtomicRedisLockStore)")
        self.poll_interval = poll_interval
        super().__init__()

    def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> contextlib.AbstractAsyncContextManager[TicketLock]:
        held: contextlib.AbstractAsyncContextManager[TicketLock] = super().lock(
            conversation_id, lock_lifetime, min(wait_time_in_seconds, self.poll_interval))
        return held
