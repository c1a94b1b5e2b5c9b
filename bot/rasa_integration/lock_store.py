"""A Redis lock store for several Rasa servers, in which every change to a lock is atomic.

Rasa serialises the messages of one conversation with a ticket lock: each message takes a
ticket, waits until its ticket is the first one, and gives it back when done. Rasa's own
RedisLockStore keeps the lock as one JSON value that each server reads, changes and writes
back, so two servers taking tickets at the same moment can get the same ticket, or drop each
other's, and then handle one conversation at once (lost or duplicated events).

Here each change (take a ticket, try to acquire, give a ticket back, drop expired tickets) is
one Lua script that Redis runs atomically. The lock is a Redis hash under
`<prefix>:lock:<conversation id>`:

- `next`: the number of the next ticket. Tickets are numbered in arrival order, starting at
  Redis's clock in microseconds when the hash is created, so a number is never issued twice for
  a conversation even after the hash has gone (a late give-back cannot remove a newer ticket).
- `t:<number>`: when that ticket expires, in milliseconds of Redis's clock (one clock for all
  servers). A waiting ticket expires one lock lifetime after it was issued; when it is
  acquired it gets a fresh lifetime from that moment. A server killed while holding or
  waiting therefore blocks the conversation for at most one lifetime, as in Rasa.

The hash expires with its last ticket and is deleted when its last ticket is given back.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    LockError,
    LockStore,
)
from rasa.utils.endpoints import EndpointConfig

DEFAULT_POLL_SECONDS = 0.02  # how often a queued message asks whether its turn has come

logger = logging.getLogger(__name__)

# What every script shares: Redis's clock, and the live tickets once expired ones are dropped.
_PROLOGUE = """
local key = KEYS[1]
local clock = redis.call('TIME')
local now_us = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local now = math.floor(now_us / 1000)

local function int(number) return string.format('%d', number) end
local function field(number) return 't:' .. int(number) end

-- Drops expired tickets; returns the live ticket numbers in order, their expiries, the latest.
local function live_tickets()
  local fields = redis.call('HGETALL', key)
  local live, expiries, latest = {}, {}, 0
  for i = 1, #fields, 2 do
    local name = fields[i]
    if string.sub(name, 1, 2) == 't:' then
      local expires = tonumber(fields[i + 1])
      if expires <= now then
        redis.call('HDEL', key, name)
      else
        local number = tonumber(string.sub(name, 3))
        live[#live + 1] = number
        expiries[number] = expires
        if expires > latest then latest = expires end
      end
    end
  end
  table.sort(live)
  return live, expiries, latest
end

-- The hash lives as long as its longest-lived ticket and goes with its last one.
local function settle(count, latest)
  if count == 0 then
    redis.call('DEL', key)
  else
    redis.call('PEXPIREAT', key, int(latest))
  end
end
"""

# ARGV: lifetime (ms). Returns the new ticket's number.
_ISSUE = _PROLOGUE + """
local lifetime = tonumber(ARGV[1])
local live, expiries, latest = live_tickets()
local number = tonumber(redis.call('HGET', key, 'next')) or now_us
local expires = now + lifetime
redis.call('HSET', key, 'next', int(number + 1), field(number), int(expires))
settle(#live + 1, math.max(latest, expires))
return number
"""

# ARGV: ticket, lifetime (ms). Returns 0 when the ticket is first (now acquired, with a fresh
# lifetime), the number of tickets ahead of it while it waits, or -1 when it has expired.
_ACQUIRE = _PROLOGUE + """
local ticket = tonumber(ARGV[1])
local lifetime = tonumber(ARGV[2])
local live, expiries, latest = live_tickets()
if expiries[ticket] == nil then
  settle(#live, latest)
  return -1
end
if live[1] == ticket then
  local expires = now + lifetime
  redis.call('HSET', key, field(ticket), int(expires))
  settle(#live, math.max(latest, expires))
  return 0
end
settle(#live, latest)
local ahead = 0
for _, number in ipairs(live) do
  if number < ticket then ahead = ahead + 1 end
end
return ahead
"""

# ARGV: ticket. Gives the ticket back; returns how many tickets remain.
_RELEASE = _PROLOGUE + """
redis.call('HDEL', key, field(tonumber(ARGV[1])))
local live, expiries, latest = live_tickets()
settle(#live, latest)
return #live
"""

# Drops expired tickets; returns the live ones as a flat list: number, expiry (ms), ...
_SNAPSHOT = _PROLOGUE + """
local live, expiries, latest = live_tickets()
settle(#live, latest)
local flat = {}
for _, number in ipairs(live) do
  flat[#flat + 1] = number
  flat[#flat + 1] = expiries[number]
end
return flat
"""

# Rasa's RedisLockStore options, honoured when `url` is a plain host name as in Rasa.
_HOST_OPTIONS = {"port", "db", "username", "password", "use_ssl", "ssl_certfile", "ssl_keyfile",
                 "ssl_ca_certs"}
_PREFIX_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")


def _milliseconds(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def redis_client(url: Optional[str], socket_timeout: float, options: dict[str, Any]) -> redis.Redis:
    """A client for a redis:// (rediss://, unix://) URL carrying host, port, password and db, or
    for a plain host name with Rasa's RedisLockStore options (port, db 1 by default, ...)."""
    if url and "://" in url:
        if options:
            raise ValueError(f"lock_store: give {', '.join(sorted(options))} in the url, not beside it")
        return redis.Redis.from_url(url, socket_timeout=socket_timeout)
    unknown = set(options) - _HOST_OPTIONS
    if unknown:
        raise ValueError(f"lock_store: unknown options {', '.join(sorted(unknown))}")
    return redis.Redis(
        host=url or "localhost",
        port=int(options.get("port", 6379)),
        db=int(options.get("db", 1)),
        username=options.get("username"),
        password=options.get("password"),
        ssl=str(options.get("use_ssl", False)).lower() in ("1", "true", "yes"),
        ssl_certfile=options.get("ssl_certfile"),
        ssl_keyfile=options.get("ssl_keyfile"),
        ssl_ca_certs=options.get("ssl_ca_certs"),
        socket_timeout=socket_timeout,
    )


def key_prefix_for(prefix: Optional[str]) -> str:
    """`<prefix>:lock:` (Rasa's `lock:` without a prefix); a bad prefix is an error, not ignored,
    so two deployments never share locks by accident."""
    if not prefix:
        return DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
    if not _PREFIX_PATTERN.fullmatch(prefix):
        raise ValueError(f"lock_store: key_prefix may hold letters, digits, '_', '.', '-', not {prefix!r}")
    return f"{prefix}:{DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX}"


class AtomicRedisLockStore(LockStore):
    """Rasa's ticket lock in Redis with one atomic script per change.

    Rasa builds it from the endpoints file's `lock_store` entry as
    `AtomicRedisLockStore(endpoint_config=...)`: `url` is a redis:// URL (or a plain host with
    Rasa's `port`, `db`, `password`, ... beside it), `key_prefix` keeps deployments apart,
    `socket_timeout` as in Rasa. Tests and tools may pass the same as keywords.

    It subclasses LockStore, not RedisLockStore: every RedisLockStore method is a read-change-write
    of the whole lock, which is what this class replaces.
    """

    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        *,
        url: Optional[str] = None,
        key_prefix: Optional[str] = None,
        socket_timeout: Optional[float] = None,
        poll_seconds: Optional[float] = None,
        **connection: Any,
    ) -> None:
        if endpoint_config is not None:
            # Keywords given here win over the endpoints entry.
            options = dict(endpoint_config.kwargs)
            url = url or endpoint_config.url
            configured_prefix, configured_timeout = options.pop("key_prefix", None), options.pop("socket_timeout", None)
            configured_poll = options.pop("poll_seconds", None)
            poll_seconds = poll_seconds if poll_seconds is not None else configured_poll
            key_prefix = key_prefix if key_prefix is not None else configured_prefix
            socket_timeout = socket_timeout if socket_timeout is not None else configured_timeout
            connection = {**options, **connection}
        timeout = float(socket_timeout) if socket_timeout is not None else DEFAULT_SOCKET_TIMEOUT_IN_SECONDS
        # Rasa's callers never pass a wait time, and its default (1 s) would add up to a second to
        # every message queued behind another of its conversation; one script call per poll is cheap.
        self.poll_seconds = float(poll_seconds) if poll_seconds is not None else DEFAULT_POLL_SECONDS
        self.red = redis_client(url, timeout, connection)
        self.key_prefix = key_prefix_for(key_prefix)
        self._issue = self.red.register_script(_ISSUE)
        self._acquire = self.red.register_script(_ACQUIRE)
        self._release = self.red.register_script(_RELEASE)
        self._snapshot = self.red.register_script(_SNAPSHOT)
        where = self.red.connection_pool.connection_kwargs
        logger.debug(f"Lock store on Redis {where.get('host', where.get('path'))} db {where.get('db', 0)}, "
                     f"keys '{self.key_prefix}*'.")
        super().__init__()

    def key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: Optional[float] = None,
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's contract: take a ticket, wait (polling every `wait_time_in_seconds`, by default
        `poll_seconds`) until it is
        first, yield the lock, give the ticket back. LockError when the ticket expired before
        its turn came (it waited longer than `lock_lifetime`)."""
        poll = self.poll_seconds if wait_time_in_seconds is None else wait_time_in_seconds
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self.wait_for_turn(conversation_id, ticket, lock_lifetime, poll)
        finally:
            self.cleanup(conversation_id, ticket)

    def try_acquire(self, conversation_id: str, ticket: int, lock_lifetime: float) -> int:
        """0: the ticket is first and now held for `lock_lifetime` from now; n > 0: n tickets are
        ahead of it; -1: it has expired (or was never issued)."""
        return int(self._acquire(keys=[self.key(conversation_id)], args=[ticket, _milliseconds(lock_lifetime)]))

    async def wait_for_turn(
        self, conversation_id: str, ticket: int, lock_lifetime: float, wait_time_in_seconds: float
    ) -> TicketLock:
        """Polls until `ticket` is held; returns the lock as it then is. LockError if it expired."""
        while True:
            ahead = self.try_acquire(conversation_id, ticket, lock_lifetime)
            if ahead == 0:
                logger.debug(f"Acquired lock for conversation '{conversation_id}'.")
                held = TicketLock(conversation_id, deque([Ticket(ticket, time.time() + lock_lifetime)]))
                return self.get_lock(conversation_id) or held
            if ahead < 0:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}': "
                                f"its ticket expired after waiting {lock_lifetime} s.")
            logger.debug(f"Conversation '{conversation_id}': {ahead} message(s) ahead; "
                         f"retrying in {wait_time_in_seconds} s.")
            await asyncio.sleep(wait_time_in_seconds)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return int(self._issue(keys=[self.key(conversation_id)], args=[_milliseconds(lock_lifetime)]))
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._release(keys=[self.key(conversation_id)], args=[ticket_number])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Giving the ticket back also deletes the lock when no one else holds a ticket.
        self.finish_serving(conversation_id, ticket_number)

    def update_lock(self, conversation_id: str) -> None:
        self._snapshot(keys=[self.key(conversation_id)])

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        """A snapshot of the live tickets (expired ones are dropped first); None without any."""
        flat = self._snapshot(keys=[self.key(conversation_id)])
        if not flat:
            return None
        tickets = deque(Ticket(int(flat[i]), int(flat[i + 1]) / 1000) for i in range(0, len(flat), 2))
        return TicketLock(conversation_id, tickets)

    def is_someone_waiting(self, conversation_id: str) -> bool:
        return self.get_lock(conversation_id) is not None

    def delete_lock(self, conversation_id: str) -> None:
        self._log_deletion(conversation_id, bool(self.red.delete(self.key(conversation_id))))

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError(
            "AtomicRedisLockStore changes locks only through its atomic scripts; writing a whole "
            "lock back is the race it exists to avoid.")
