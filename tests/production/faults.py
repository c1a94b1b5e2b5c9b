"""Faults for tests/production/test_faults.py: PostgreSQL restarted for real (Debian's
pg_ctlcluster, as root), and a way to kill the action server between a commit and its reply."""
from __future__ import annotations

import subprocess
import time
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.database import make_engine
from bot.settings import PRODUCTION_DATABASE_URL


def wait_until(condition, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True


def postgresql_cluster() -> list[str]:
    """[version, name] of the local cluster serving the production profile's port (pg_lsclusters)."""
    port = str(make_url(PRODUCTION_DATABASE_URL).port or 5432)
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    return next(line.split()[:2] for line in listing.splitlines() if line.split()[2] == port)


def restart_postgresql() -> None:
    version, name = postgresql_cluster()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
                   check=True, capture_output=True, timeout=120)


def postgresql_started_at() -> datetime:
    engine = make_engine(make_url(PRODUCTION_DATABASE_URL).set(database="postgres"))
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT pg_postmaster_start_time()"))
    finally:
        engine.dispose()


def wait_for_postgresql(timeout: float = 120) -> None:
    """Until PostgreSQL accepts connections again, so the tests after this one are unaffected."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            postgresql_started_at()
            return
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


HOLD_KEY = 7_400_001  # the advisory lock a held commit waits for


class CommitHold:
    """Stops the action server between an inquiry's commit and its reply, every time: a deferred
    trigger (installed in the test's own database) makes the next inquiry's COMMIT wait for an
    advisory lock the test holds; once the action server is seen waiting it is frozen (SIGSTOP),
    the lock is let go, the commit completes -- PostgreSQL then delivers the trigger's NOTIFY --
    and the frozen server can be killed before it says a word."""

    SETUP = f"""
    CREATE FUNCTION fault_test_hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_lock_shared({HOLD_KEY});
        PERFORM pg_advisory_unlock_shared({HOLD_KEY});
        PERFORM pg_notify('inquiry_committed', NEW.reference);
        RETURN NULL;
    END $$;
    CREATE CONSTRAINT TRIGGER fault_test_hold_commit AFTER INSERT ON inquiries
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fault_test_hold_commit();
    """
    TEARDOWN = "DROP TRIGGER fault_test_hold_commit ON inquiries; DROP FUNCTION fault_test_hold_commit();"

    def __init__(self, engine):
        self.connection = engine.raw_connection()
        self.raw = self.connection.dbapi_connection
        self.raw.set_session(autocommit=True)
        self.run(self.SETUP)
        self.run(f"SELECT pg_advisory_lock({HOLD_KEY})")
        self.run("LISTEN inquiry_committed")

    def run(self, statement: str) -> list:
        with self.raw.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def wait_until_a_commit_waits(self, timeout: float) -> bool:
        waiting = ("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = "
                   f"{HOLD_KEY} AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
        return wait_until(lambda: bool(self.run(waiting)), timeout, step=0.02)

    def let_it_commit(self, timeout: float = 10) -> str:
        """Releases the held commit; returns the reference once it is committed."""
        self.run(f"SELECT pg_advisory_unlock({HOLD_KEY})")
        assert wait_until(self.heard, timeout, step=0.01), "the held commit did not complete"
        return self.raw.notifies.pop(0).payload

    def heard(self) -> bool:
        self.raw.poll()  # reads the NOTIFY messages that have arrived
        return bool(self.raw.notifies)

    def close(self) -> None:
        self.run("SELECT pg_advisory_unlock_all()")
        self.run(self.TEARDOWN)
        self.connection.close()
