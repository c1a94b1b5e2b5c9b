"""The atomic Redis lock store against the real Redis on 127.0.0.1:6379.

Each test uses its own key prefix and deletes its keys afterwards. Several Rasa servers are
mimicked by forked OS processes, each with its own store, connections and event loop.

Rasa's stock RedisLockStore (rasa.core.lock_store) in the same harness, `contend` below, was
measured by hand, not asserted (a race need not happen in a given run):
- 4 processes x 8 lockers, 5 ms inside, polling every 5 ms, 20 runs: every run went wrong.
  Lockers overlapped in 16 runs (up to 5 inside at once) and were served out of ticket order;
  in 18 runs some lockers were never served within 10 s (427 of 640 in all: their tickets were
  overwritten); one run raised LockError. This store: no overlap, all served in order, 20 of 20.
- 2 processes x 4 lockers, 50 ms inside, Rasa's default 1 s polling, 20 runs: the stock store
  overlapped in 15 runs; this store in none.
"""
from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import signal
import time
import uuid
from dataclasses import dataclass

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_integration.lock_store import AtomicRedisLockStore
from bot.settings import PROJECT_ROOT

REDIS_URL = "redis://127.0.0.1:6379/0"
OTHER_DB = 3  # a database other than the default, to see the URL's db is the one used
FORK = multiprocessing.get_context("fork")


@pytest.fixture
def prefix():
    """A key prefix of this test's own; every key under it, in the databases used, goes afterwards."""
    prefix = f"locktest{uuid.uuid4().hex}"
    yield prefix
    for db in (0, OTHER_DB):
        client = redis.Redis(host="127.0.0.1", port=6379, db=db)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture
def red():
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


def runs_in_event_loop(test):
    """Runs an async test in a fresh event loop (no pytest async plugin here), failing it after
    30 s: a broken lock shows as a waiter that never gets its turn."""
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(asyncio.wait_for(test(*args, **kwargs), 30))
    return run


def make_store(prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(url=REDIS_URL, key_prefix=prefix)


# --- contention across processes -----------------------------------------------------------------

@dataclass
class Contention:
    served: list[tuple[str, int]]  # (locker, ticket it was served under), in the order served
    most_inside: int  # the most lockers seen in the critical section at once
    errors: list[str]
    unfinished: int  # lockers neither served nor failed when the time was up


def contend(store_factory, prefix: str, processes: int = 4, lockers: int = 8, hold: float = 0.005,
            wait: float = 0.005, time_limit: float = 60) -> Contention:
    """`processes` forked processes, each running `lockers` concurrent lockers of one conversation
    through its own store from `store_factory()`; all start together. Inside the critical
    section a locker INCRs a shared Redis counter (how many are inside), records itself and the
    ticket it is served under, sleeps `hold`, and DECRs."""
    inside_key, served_key, errors_key = (f"{prefix}:inside", f"{prefix}:served", f"{prefix}:errors")

    def process(number: int, start) -> None:
        store = store_factory()
        client = redis.Redis.from_url(REDIS_URL)

        async def locker(name: str) -> None:
            try:
                async with store.lock("shared", lock_lifetime=30, wait_time_in_seconds=wait) as lock:
                    inside = client.incr(inside_key)
                    client.rpush(served_key, f"{name} {lock.now_serving} {inside}")
                    await asyncio.sleep(hold)
                    client.decr(inside_key)
            except Exception as error:  # recorded: the parent reports what went wrong where
                client.rpush(errors_key, f"{name}: {error!r}")

        async def all_lockers() -> None:
            await asyncio.gather(*(locker(f"p{number}-l{i}") for i in range(lockers)))

        start.wait(10)
        asyncio.run(all_lockers())

    start = FORK.Event()
    children = [FORK.Process(target=process, args=(n, start)) for n in range(processes)]
    for child in children:
        child.start()
    try:
        start.set()
        deadline = time.monotonic() + time_limit
        for child in children:
            child.join(max(0.0, deadline - time.monotonic()))
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
    client = redis.Redis.from_url(REDIS_URL)
    rows = [row.decode().split() for row in client.lrange(served_key, 0, -1)]
    errors = [row.decode() for row in client.lrange(errors_key, 0, -1)]
    client.close()
    return Contention(served=[(name, int(ticket)) for name, ticket, _ in rows],
                      most_inside=max((int(inside) for _, _, inside in rows), default=0),
                      errors=errors, unfinished=processes * lockers - len(rows) - len(errors))


def test_lockers_in_several_processes_never_overlap_and_are_served_once_in_ticket_order(prefix, red):
    result = contend(lambda: make_store(prefix), prefix)

    assert result.errors == [] and result.unfinished == 0
    assert result.most_inside == 1
    names = [name for name, _ in result.served]
    assert sorted(names) == sorted(f"p{p}-l{i}" for p in range(4) for i in range(8))
    tickets = [ticket for _, ticket in result.served]
    assert tickets == sorted(set(tickets)), "served out of ticket order, or one ticket served twice"
    assert red.exists(make_store(prefix).key("shared")) == 0, "the lock outlived its last ticket"


# --- order -----------------------------------------------------------------------------------------

def test_tickets_are_numbered_in_arrival_order(prefix):
    store = make_store(prefix)
    tickets = [store.issue_ticket("conversation", 5) for _ in range(6)]

    assert tickets == sorted(set(tickets))
    assert [ticket.number for ticket in store.get_lock("conversation").tickets] == tickets


@runs_in_event_loop
async def test_waiters_are_served_in_arrival_order_even_when_later_ones_poll_faster(prefix):
    store = make_store(prefix)
    served = []
    release_first = asyncio.Event()

    async def holder():
        async with store.lock("conversation", lock_lifetime=10, wait_time_in_seconds=0.01):
            await release_first.wait()

    async def waiter(position: int, poll: float):
        async with store.lock("conversation", lock_lifetime=10, wait_time_in_seconds=poll):
            served.append(position)
            await asyncio.sleep(0.02)

    def tickets() -> int:
        lock = store.get_lock("conversation")
        return len(lock.tickets) if lock else 0

    tasks = [asyncio.create_task(holder())]
    for position in range(5):
        await _until(lambda waiting=position + 1: tickets() == waiting)
        # The later a waiter arrives, the faster it polls: a first-to-ask-wins lock serves it early.
        tasks.append(asyncio.create_task(waiter(position, poll=0.2 / (position + 1))))
    await _until(lambda: tickets() == 6)
    release_first.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)

    assert served == [0, 1, 2, 3, 4]


# --- expiry ----------------------------------------------------------------------------------------

def test_a_killed_holder_blocks_the_conversation_only_until_its_lifetime_ends(prefix, red):
    lifetime = 1.5
    store = make_store(prefix)
    acquired = FORK.Event()

    def dying_holder() -> None:
        async def hold() -> None:
            async with make_store(prefix).lock("conversation", lock_lifetime=lifetime, wait_time_in_seconds=0.01):
                acquired.set()
                await asyncio.sleep(3600)
        asyncio.run(hold())

    child = FORK.Process(target=dying_holder)
    child.start()
    try:
        assert acquired.wait(10), "the holder never got the lock"
        killed_at = time.monotonic()
    finally:
        os.kill(child.pid, signal.SIGKILL)  # never gives its ticket back
        child.join()
    assert store.is_someone_waiting("conversation")
    assert 0 < red.pttl(store.key("conversation")) <= lifetime * 1000, "the dead holder's lock must expire"

    async def next_message() -> float:
        async with store.lock("conversation", lock_lifetime=5, wait_time_in_seconds=0.02):
            return time.monotonic() - killed_at

    waited = asyncio.run(asyncio.wait_for(next_message(), lifetime + 5))

    assert lifetime - 0.3 <= waited <= lifetime + 2
    assert red.exists(store.key("conversation")) == 0


@runs_in_event_loop
async def test_a_waiter_whose_ticket_expires_before_its_turn_gets_a_lock_error(prefix):
    store = make_store(prefix)
    async with store.lock("conversation", lock_lifetime=10, wait_time_in_seconds=0.01):
        started = time.monotonic()
        with pytest.raises(LockError):
            async with store.lock("conversation", lock_lifetime=0.3, wait_time_in_seconds=0.05):
                pytest.fail("served while another message held the lock")
        assert time.monotonic() - started < 2
        assert len(store.get_lock("conversation").tickets) == 1  # only the holder's


@runs_in_event_loop
async def test_an_acquired_ticket_gets_a_fresh_lifetime_however_long_it_waited(prefix):
    store = make_store(prefix)
    first = store.issue_ticket("conversation", 10)
    assert await store.wait_for_turn("conversation", first, 10, 0.01)
    second = store.issue_ticket("conversation", 0.8)
    await asyncio.sleep(0.6)  # most of the second ticket's lifetime goes by in the queue
    store.cleanup("conversation", first)

    assert await store.wait_for_turn("conversation", second, 0.8, 0.01)
    await asyncio.sleep(0.4)  # past the lifetime counted from its arrival, within the fresh one
    assert [ticket.number for ticket in store.get_lock("conversation").tickets] == [second]
    store.cleanup("conversation", second)


@runs_in_event_loop
async def test_a_late_give_back_from_an_expired_holder_does_not_free_the_next_holder(prefix):
    store = make_store(prefix)
    slow = store.issue_ticket("conversation", 0.2)
    assert await store.wait_for_turn("conversation", slow, 0.2, 0.01)
    await asyncio.sleep(0.3)  # the slow holder overruns its lifetime

    async with store.lock("conversation", lock_lifetime=10, wait_time_in_seconds=0.01):
        store.cleanup("conversation", slow)  # the slow holder finally gives its ticket back
        latecomer = store.issue_ticket("conversation", 10)
        assert store.try_acquire("conversation", latecomer, 10) == 1
        store.cleanup("conversation", latecomer)

    # Once the lock is gone, ticket numbers still go on rising: none is issued twice.
    assert store.get_lock("conversation") is None
    assert store.issue_ticket("conversation", 1) > latecomer


# --- isolation and loading -------------------------------------------------------------------------

@runs_in_event_loop
async def test_different_conversations_do_not_block_each_other(prefix):
    store = make_store(prefix)
    async with store.lock("first", lock_lifetime=10, wait_time_in_seconds=0.01):
        started = time.monotonic()
        # Polling only every 5 s: had "second" been blocked, taking it would take 5 s or more.
        async with store.lock("second", lock_lifetime=10, wait_time_in_seconds=5):
            assert time.monotonic() - started < 1


@runs_in_event_loop
async def test_rasa_loads_it_from_the_production_endpoints_file(prefix, monkeypatch):
    monkeypatch.setenv("LOCK_STORE_URL", f"redis://127.0.0.1:6379/{OTHER_DB}")
    monkeypatch.setenv("LOCK_STORE_PREFIX", prefix)
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://postgres@127.0.0.1:5432/unused")

    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / "endpoints.production.yml"))
    store = LockStore.create(endpoints.lock_store)

    assert isinstance(store, AtomicRedisLockStore)
    await _assert_lock_lives_in(store, prefix, OTHER_DB)


@runs_in_event_loop
async def test_a_plain_host_with_rasas_options_still_works(prefix):
    config = EndpointConfig(url="127.0.0.1", type="bot.rasa_integration.lock_store.AtomicRedisLockStore",
                            port=6379, db=OTHER_DB, key_prefix=prefix)
    store = LockStore.create(config)

    assert isinstance(store, AtomicRedisLockStore)
    await _assert_lock_lives_in(store, prefix, OTHER_DB)


def test_the_url_carries_password_port_and_database():
    store = AtomicRedisLockStore(url="redis://:s3cret@127.0.0.1:6380/5", key_prefix="clair")
    options = store.red.connection_pool.connection_kwargs

    assert (options["password"], options["port"], options["db"]) == ("s3cret", 6380, 5)
    assert store.key("abc") == "clair:lock:abc"


def test_connection_options_beside_a_url_and_odd_prefixes_are_refused():
    with pytest.raises(ValueError, match="db"):
        AtomicRedisLockStore(EndpointConfig(url=REDIS_URL, db=2))
    with pytest.raises(ValueError, match="key_prefix"):
        AtomicRedisLockStore(url=REDIS_URL, key_prefix="two words")


async def _assert_lock_lives_in(store: AtomicRedisLockStore, prefix: str, db: int) -> None:
    in_db = redis.Redis(host="127.0.0.1", port=6379, db=db)
    in_default_db = redis.Redis(host="127.0.0.1", port=6379, db=0)
    key = f"{prefix}:lock:conversation"
    try:
        async with store.lock("conversation", lock_lifetime=10, wait_time_in_seconds=0.01):
            assert in_db.exists(key) == 1 and 0 < in_db.pttl(key) <= 10_000
            assert in_default_db.exists(key) == 0
        assert in_db.exists(key) == 0
    finally:
        in_db.close()
        in_default_db.close()


async def _until(condition, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


@runs_in_event_loop
async def test_a_message_queued_behind_another_is_served_soon_after_rasas_default_call(prefix):
    # Rasa calls lock(conversation_id) without a wait time; its own default polls once a second.
    store = make_store(prefix)
    released_at = None

    async def first():
        nonlocal released_at
        async with store.lock("conversation"):
            await asyncio.sleep(0.1)
        released_at = time.monotonic()

    holder = asyncio.create_task(first())
    await asyncio.sleep(0.02)
    async with store.lock("conversation"):
        waited = time.monotonic() - released_at
    await holder
    assert store.poll_seconds < 0.1
    assert waited < 0.5, f"the queued message waited {waited:.2f} s after the lock was given back"


def test_the_poll_interval_comes_from_the_endpoints_entry(prefix):
    config = EndpointConfig(url=REDIS_URL, type="bot.rasa_integration.lock_store.AtomicRedisLockStore",
                            key_prefix=prefix, poll_seconds=0.2)
    assert AtomicRedisLockStore(endpoint_config=config).poll_seconds == 0.2
