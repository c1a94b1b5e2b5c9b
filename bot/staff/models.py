"""Tables of the staff console (SQLAlchemy 1.4, 2.0 style), in the same database as the knowledge
base and the inquiries, with their own declarative Base (the inquiry and knowledge models stay
unaware of them). All times are timezone-aware UTC.

Nothing here duplicates an inquiry's fields: the workflow status stays in ``inquiries.status``;
assignment, notes and the audit trail (who changed what, when, before/after) are kept here.
"""
from typing import Any

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import declarative_base

from bot.inquiries.models import Inquiry
from bot.inquiries.timeutil import UTCDateTime, utcnow

# Typed as Any: SQLAlchemy 1.4's declarative base has no type information without its mypy plugin.
Base: Any = declarative_base()


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)  # stored lower-case
    name = Column(String(200), nullable=True)
    password_hash = Column(String(255), nullable=False)  # argon2id, PHC string
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    password_changed_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = Column(UTCDateTime, nullable=True)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a
    copy of the database does not let anyone sign in. Deleted on sign-out or expiry."""

    __tablename__ = "staff_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    account_id = Column(Integer, ForeignKey(StaffAccount.id), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False)  # absolute limit; idle limit on last_seen_at


class LoginAttempt(Base):
    """Failed sign-ins, for rate limiting. Keyed by keyed hashes of the e-mail address typed and
    of the client address, so the table holds neither."""

    __tablename__ = "staff_login_attempts"
    __table_args__ = (Index("ix_staff_login_attempts_account", "account_key", "at"),
                      Index("ix_staff_login_attempts_client", "client_key", "at"))

    id = Column(Integer, primary_key=True)
    account_key = Column(String(64), nullable=False)
    client_key = Column(String(64), nullable=False)
    at = Column(UTCDateTime, nullable=False, default=utcnow)


class AuditEntry(Base):
    """Every change made through the console or the staff commands: who, when, what, before/after
    (JSON). ``entity`` is e.g. "inquiry", "kb.affiliation", "staff.account"; ``entity_key`` the
    thing's natural key (an inquiry reference, "Fukuoka → Hanoi", a fiscal year)."""

    __tablename__ = "staff_audit"
    __table_args__ = (Index("ix_staff_audit_entity", "entity", "entity_key"),)

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    actor_id = Column(Integer, ForeignKey(StaffAccount.id), nullable=True)  # None: the command line
    action = Column(String(64), nullable=False)
    entity = Column(String(64), nullable=False)
    entity_key = Column(String(300), nullable=False)
    before = Column(Text, nullable=True)
    after = Column(Text, nullable=True)


class InquiryAssignment(Base):
    """Who in CLAIR Singapore is working on an inquiry (one person at a time)."""

    __tablename__ = "staff_inquiry_assignments"

    inquiry_id = Column(Integer, ForeignKey(Inquiry.__table__.c.id), primary_key=True)
    account_id = Column(Integer, ForeignKey(StaffAccount.id), nullable=False, index=True)
    assigned_at = Column(UTCDateTime, nullable=False, default=utcnow)
    assigned_by = Column(Integer, ForeignKey(StaffAccount.id), nullable=True)


class InquiryNote(Base):
    __tablename__ = "staff_inquiry_notes"

    id = Column(Integer, primary_key=True)
    inquiry_id = Column(Integer, ForeignKey(Inquiry.__table__.c.id), nullable=False, index=True)
    author_id = Column(Integer, ForeignKey(StaffAccount.id), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    body = Column(Text, nullable=False)


def create_schema(engine) -> None:
    """Create the staff tables that do not exist yet (never drops or alters anything), in a scratch
    database (tests). The application's database gets them from its migrations (bot.migrations)."""
    Base.metadata.create_all(engine)
