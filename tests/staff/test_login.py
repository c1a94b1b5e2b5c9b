"""Sign-in: argon2 hashes, one answer for a wrong address or password, and rate limits per account and
per client address that expire with their window."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.inquiries.timeutil import utcnow
from bot.staff.accounts import Limits, authenticate
from bot.staff.models import LoginAttempt, StaffAccount
from tests.staff.client import make_client
from tests.staff.conftest import PASSWORD, sign_in


def test_passwords_are_stored_as_argon2id_hashes(engine, aiko):
    with Session(engine) as session:
        stored = session.scalar(select(StaffAccount.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(anonymous, aiko):
    wrong = sign_in(anonymous, password="not the password")
    unknown = sign_in(anonymous, email="nobody@clair.example")
    assert wrong.status_code == unknown.status_code == 401
    assert "clair_staff=" not in " ".join(wrong.headers.get_list("set-cookie")).replace("clair_staff_login=", "")
    message = "The e-mail address or the password is not right."
    assert message in wrong.text and message in unknown.text
    assert 'value="nobody@clair.example"' in unknown.text  # the address is kept; the password never is
    assert "not the password" not in wrong.text


def test_too_many_failures_for_one_account_lock_it_from_any_address(app, aiko, ben):
    for i in range(5):  # settings: 5 per account per 15 minutes
        with make_client(app, client=(f"10.0.0.{i}", 4000)) as c:
            assert sign_in(c, password=f"guess {i} wrong!").status_code == 401
    with make_client(app, client=("10.0.1.1", 4000)) as c:
        locked = sign_in(c)  # even the right password is not checked now
        assert locked.status_code == 429 and "Too many sign-in attempts" in locked.text
        assert int(locked.headers["retry-after"]) > 0
        assert "clair_staff=" not in " ".join(locked.headers.get_list("set-cookie")).replace("clair_staff_login=", "")
        # Another account is not affected.
        assert sign_in(c, "ben@clair.example", "another long passphrase").status_code == 303


def test_too_many_failures_from_one_address_lock_that_address(app, aiko, ben):
    with make_client(app, client=("192.0.2.7", 4000)) as c:
        for i in range(20):  # settings: 20 per address; spread over many names, no account is locked
            assert sign_in(c, email=f"guess{i}@clair.example", password="whatever it is").status_code == 401
        assert sign_in(c).status_code == 429
    with make_client(app, client=("192.0.2.8", 4000)) as elsewhere:
        assert sign_in(elsewhere).status_code == 303


def test_the_limit_expires_with_its_window_and_a_success_resets_the_account(engine, aiko):
    limits, key = Limits(per_account=3, per_address=100, window=timedelta(minutes=15)), b"k"
    start = utcnow()
    for i in range(3):
        assert authenticate(engine, "aiko@clair.example", "bad", "1.1.1.1", key, limits,
                            now=start + timedelta(minutes=i)).outcome == "invalid"
    limited = authenticate(engine, "aiko@clair.example", PASSWORD, "1.1.1.1", key, limits, now=start + timedelta(minutes=5))
    assert limited.outcome == "limited" and 0 < limited.retry_after <= 10 * 60 + 1
    later = start + timedelta(minutes=15, seconds=1)  # the first failure left the window
    assert authenticate(engine, "aiko@clair.example", PASSWORD, "1.1.1.1", key, limits, now=later).outcome == "ok"
    with Session(engine) as session:
        assert session.scalars(select(LoginAttempt)).all() == []  # reset by the success
    # The address and the account are stored only as keyed hashes.
    authenticate(engine, "aiko@clair.example", "bad", "1.1.1.1", key, limits, now=later)
    with Session(engine) as session:
        row = session.scalars(select(LoginAttempt)).one()
    assert "aiko" not in row.account_key and "1.1.1.1" not in row.client_key and len(row.account_key) == 64


def test_a_disabled_account_cannot_sign_in(engine, anonymous, aiko):
    from bot.staff.accounts import set_active

    set_active(engine, "aiko@clair.example", False)
    assert sign_in(anonymous).status_code == 401
