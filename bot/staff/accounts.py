"""Staff accounts, sign-in with rate limiting, and server-side sessions.

* Passwords are hashed with argon2id (argon2-cffi's PasswordHasher defaults; re-hashed on sign-in
  when the parameters change). There is no default account: the first one is made with
  ``python -m bot staff add EMAIL``.
* Sign-in is rate-limited per account (the e-mail typed, known or not) and per client address:
  failures within a window are counted; at the limit the password is not even checked.
* A session is a random token in an HttpOnly cookie; the database keeps its SHA-256 only. It ends
  on sign-out, after an idle period and after an absolute lifetime, and when the account is
  disabled or its password changes.
Logs carry account ids only, never e-mail addresses, passwords or client addresses.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.inquiries.timeutil import as_utc, utcnow
from bot.settings import Settings

from .models import LoginAttempt, StaffAccount, StaffSession

log = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024  # argon2 takes any length; this only stops absurd request bodies
SESSION_TOUCH_SECONDS = 60  # last_seen_at is written at most once a minute per session

_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about an account that cannot be done (message is for the operator)."""


# -- secret key ----------------------------------------------------------------------------------
def secret_key(settings: Settings) -> bytes:
    """STAFF_SECRET_KEY, or a random key made once and kept in var/staff-secret.key (mode 0600).
    It keys the hashes in the login-attempt table and the sign-in form's CSRF token."""
    if settings.staff_secret_key:
        return settings.staff_secret_key.encode()
    path = Path(settings.var_dir) / "staff-secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # made by a concurrent process in the meantime
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def keyed_hash(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- accounts --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: Optional[str]
    active: bool
    created_at: datetime
    last_login_at: Optional[datetime]

    @property
    def label(self) -> str:
        return self.name or self.email


def _account(row: StaffAccount) -> Account:
    return Account(row.id, row.email, row.name, row.active, row.created_at, row.last_login_at)


def normalise_email(email: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    email = (email or "").strip()
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(f"not a valid e-mail address: {error}") from None
    return checked.normalized.lower()


def password_problem(password: str, email: str = "") -> Optional[str]:
    """Why a password is not acceptable, or None. Length is what counts (NIST SP 800-63B)."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"the password needs at least {MIN_PASSWORD_CHARS} characters"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"the password may have at most {MAX_PASSWORD_CHARS} characters"
    if email and password.strip().lower() in (email.lower(), email.split("@")[0].lower()):
        return "the password must not be the e-mail address"
    if len(set(password)) < 4:
        return "the password is too repetitive"
    return None


def create_account(engine, email: str, password: str, name: Optional[str] = None) -> Account:
    email = normalise_email(email)
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    with Session(engine, future=True) as session, session.begin():
        if session.scalar(select(StaffAccount.id).where(StaffAccount.email == email)) is not None:
            raise AccountError("an account with this e-mail address exists already")
        row = StaffAccount(email=email, name=(name or "").strip() or None, password_hash=_hasher.hash(password),
                           active=True, created_at=utcnow(), password_changed_at=utcnow())
        session.add(row)
        session.flush()
        from .audit import record

        record(session, None, "account.created", "staff.account", str(row.id), after={"active": True})
        account = _account(row)
    log.info("staff account %s created", account.id)
    return account


def _find(session: Session, email: str) -> StaffAccount:
    row = session.scalar(select(StaffAccount).where(StaffAccount.email == normalise_email(email)))
    if row is None:
        raise AccountError("no account has this e-mail address")
    return row


def set_password(engine, email: str, password: str) -> Account:
    with Session(engine, future=True) as session, session.begin():
        row = _find(session, email)
        problem = password_problem(password, row.email)
        if problem:
            raise AccountError(problem)
        row.password_hash = _hasher.hash(password)
        row.password_changed_at = utcnow()
        session.execute(delete(StaffSession).where(StaffSession.account_id == row.id))
        from .audit import record

        record(session, None, "account.password_changed", "staff.account", str(row.id))
        account = _account(row)
    log.info("staff account %s: password changed, sessions ended", account.id)
    return account


def set_active(engine, email: str, active: bool) -> Account:
    with Session(engine, future=True) as session, session.begin():
        row = _find(session, email)
        before = row.active
        row.active = active
        if not active:
            session.execute(delete(StaffSession).where(StaffSession.account_id == row.id))
        from .audit import record

        record(session, None, "account.enabled" if active else "account.disabled", "staff.account", str(row.id),
               before={"active": before}, after={"active": active})
        account = _account(row)
    log.info("staff account %s %s", account.id, "enabled" if active else "disabled")
    return account


def list_accounts(engine, active_only: bool = False) -> List[Account]:
    stmt = select(StaffAccount).order_by(StaffAccount.email)
    if active_only:
        stmt = stmt.where(StaffAccount.active.is_(True))
    with Session(engine, future=True) as session:
        return [_account(row) for row in session.scalars(stmt)]


def get_account(engine, account_id: int) -> Optional[Account]:
    with Session(engine, future=True) as session:
        row = session.get(StaffAccount, account_id)
        return _account(row) if row is not None else None


# -- sign-in -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignIn:
    """outcome: "ok" (account set), "invalid" (wrong e-mail or password, or a disabled account:
    the visitor is not told which) or "limited" (too many failures; retry_after seconds)."""

    outcome: str
    account: Optional[Account] = None
    retry_after: int = 0


@dataclass(frozen=True)
class Limits:
    per_account: int
    per_address: int
    window: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> "Limits":
        return cls(settings.staff_login_max_failures, settings.staff_login_max_failures_per_address,
                   timedelta(minutes=settings.staff_login_window_minutes))


def _retry_after(session: Session, column, key: str, limit: int, window: timedelta, now: datetime) -> int:
    """Seconds until a failure leaves the window, if ``limit`` failures are in it; else 0."""
    since = now - window
    times = session.scalars(select(LoginAttempt.at).where(column == key, LoginAttempt.at > since)
                            .order_by(LoginAttempt.at.desc()).limit(limit)).all()
    if len(times) < limit:
        return 0
    return max(1, int((times[-1] + window - now).total_seconds()) + 1)


def authenticate(engine, email: str, password: str, client: str, key: bytes, limits: Limits,
                 now: Optional[datetime] = None) -> SignIn:
    now = as_utc(now)
    typed = (email or "").strip().lower()[:254]
    account_key, client_key = keyed_hash(key, "account:" + typed), keyed_hash(key, "client:" + (client or "?"))
    with Session(engine, future=True) as session:
        wait = max(_retry_after(session, LoginAttempt.account_key, account_key, limits.per_account, limits.window, now),
                   _retry_after(session, LoginAttempt.client_key, client_key, limits.per_address, limits.window, now))
        if wait:
            log.warning("staff sign-in refused: too many failed attempts")
            return SignIn("limited", retry_after=wait)
        row = session.scalar(select(StaffAccount).where(StaffAccount.email == typed)) if typed else None
        stored = row.password_hash if row is not None else _DUMMY_HASH
        password = (password or "")[:MAX_PASSWORD_CHARS]
        try:
            ok = _hasher.verify(stored, password) and row is not None and row.active
        except (VerificationError, InvalidHashError):
            ok = False
    with Session(engine, future=True) as session, session.begin():
        # Old attempts are of no use to anyone: keep the table small.
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - max(limits.window, timedelta(days=1))))
        if not ok or row is None:
            session.add(LoginAttempt(account_key=account_key, client_key=client_key, at=now))
            log.info("staff sign-in failed")
            return SignIn("invalid")
        session.execute(delete(LoginAttempt).where(LoginAttempt.account_key == account_key))
        row = session.get(StaffAccount, row.id)
        if row is None:  # removed by a colleague between the two transactions
            return SignIn("invalid")
        row.last_login_at = now
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        account = _account(row)
    log.info("staff account %s signed in", account.id)
    return SignIn("ok", account)


# -- sessions ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffUser:
    """The signed-in person, as a request sees them."""

    account_id: int
    email: str
    name: Optional[str]
    csrf_token: str
    session_id: int

    @property
    def label(self) -> str:
        return self.name or self.email


def start_session(engine, account_id: int, settings: Settings, now: Optional[datetime] = None) -> str:
    """A new session (a new token: never reuse one from before the sign-in). Returns the token."""
    now = as_utc(now)
    token = secrets.token_urlsafe(32)
    with Session(engine, future=True) as session, session.begin():
        session.add(StaffSession(token_hash=token_hash(token), account_id=account_id,
                                 csrf_token=secrets.token_urlsafe(32), created_at=now, last_seen_at=now,
                                 expires_at=now + timedelta(hours=settings.staff_session_max_hours)))
        # Expired sessions of anyone are removed here, so the table does not grow.
        idle = now - timedelta(minutes=settings.staff_session_idle_minutes)
        session.execute(delete(StaffSession).where((StaffSession.expires_at <= now) | (StaffSession.last_seen_at <= idle)))
    return token


def load_session(engine, token: Optional[str], settings: Settings, now: Optional[datetime] = None) -> Optional[StaffUser]:
    """The user of a session cookie, or None (no such session, expired, or account disabled)."""
    if not token or len(token) > 100:
        return None
    now = as_utc(now)
    with Session(engine, future=True) as session, session.begin():
        row = session.execute(
            select(StaffSession, StaffAccount).join(StaffAccount, StaffSession.account_id == StaffAccount.id)
            .where(StaffSession.token_hash == token_hash(token))
        ).first()
        if row is None:
            return None
        stored, account = row
        idle_limit = stored.last_seen_at + timedelta(minutes=settings.staff_session_idle_minutes)
        if not account.active or now >= stored.expires_at or now >= idle_limit:
            session.delete(stored)
            return None
        if (now - stored.last_seen_at).total_seconds() >= SESSION_TOUCH_SECONDS:
            stored.last_seen_at = now
        return StaffUser(account.id, account.email, account.name, stored.csrf_token, stored.id)


def end_session(engine, token: Optional[str]) -> None:
    if not token:
        return
    with Session(engine, future=True) as session, session.begin():
        session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))


def count_sessions(engine, account_id: int) -> int:
    with Session(engine, future=True) as session:
        return session.scalar(select(func.count(StaffSession.id)).where(StaffSession.account_id == account_id)) or 0


__all__ = ["Account", "AccountError", "Limits", "SignIn", "StaffUser", "authenticate", "count_sessions",
           "create_account", "end_session", "get_account", "keyed_hash", "list_accounts", "load_session",
           "normalise_email", "password_problem", "secret_key", "set_active", "set_password", "start_session"]
