"""ORM models of inquiries and their staff notifications (SQLAlchemy 1.4, 2.0 style).

Own declarative Base, so these tables can live in the knowledge base's database without
the knowledge loader knowing about them. All times are timezone-aware UTC.
"""
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import declarative_base

from .timeutil import UTCDateTime, utcnow

# Typed as Any: SQLAlchemy 1.4's declarative base has no type information without its mypy plugin.
Base: Any = declarative_base()

KINDS = ("affiliation", "escalation")
# Workflow: new -> in_review -> contacted -> closed, or declined (staff console, later).
STATUSES = ("new", "in_review", "contacted", "closed", "declined")
# A notification stays "pending" until sent, including while no SMTP server is configured
# (outbox mode); "failed" after MAX_ATTEMPTS (notify.py). Rows are never deleted.
NOTIFICATION_STATUSES = ("pending", "sent", "failed")


def _one_of(column: str, values) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"ck_%(table_name)s_{column}")


class Inquiry(Base):
    __tablename__ = "inquiries"
    __table_args__ = (
        _one_of("kind", KINDS),
        _one_of("status", STATUSES),
        # A sister-city request is only useful to staff with these; escalations may lack them.
        CheckConstraint(
            "kind <> 'affiliation' OR (organisation IS NOT NULL AND organisation_country IS NOT NULL"
            " AND contact_name IS NOT NULL AND email IS NOT NULL AND partner_preference IS NOT NULL"
            " AND purpose IS NOT NULL)",
            name="ck_inquiries_affiliation_fields",
        ),
        Index("ix_inquiries_status_created", "status", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(32), nullable=False, unique=True)
    kind = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False, default="new")
    organisation = Column(String(200), nullable=True)
    organisation_country = Column(String(200), nullable=True)  # canonical KB name, or as typed
    contact_name = Column(String(200), nullable=True)
    email = Column(String(254), nullable=True)
    phone = Column(String(40), nullable=True)
    partner_preference = Column(String(200), nullable=True)  # free text or "no preference"
    partner_country = Column(String(128), nullable=True)  # canonical KB country name only
    purpose = Column(Text, nullable=True)
    message = Column(Text, nullable=True)
    conversation_id = Column(String(255), nullable=True)
    channel = Column(String(64), nullable=True)
    # Idempotency: the same submission delivered twice maps to this one row.
    submission_key = Column(String(128), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Notification(Base):
    """Outbox row: written in the inquiry's transaction, sent later by the notifier."""

    __tablename__ = "notifications"
    __table_args__ = (
        _one_of("status", NOTIFICATION_STATUSES),
        Index("ix_notifications_due", "status", "next_attempt_at"),
    )

    id = Column(Integer, primary_key=True)
    inquiry_id = Column(Integer, ForeignKey("inquiries.id"), nullable=False, index=True)
    recipients = Column(Text, nullable=False, default="")  # comma list; filled when sent
    subject = Column(String(255), nullable=False)
    body = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default="pending")
    attempts = Column(Integer, nullable=False, default=0)
    last_error = Column(String(200), nullable=True)  # error class or note, never personal data
    next_attempt_at = Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = Column(UTCDateTime, nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


def create_schema(engine) -> None:
    """Create the inquiry tables that do not exist yet (never drops or alters anything), in a scratch
    database (tests). The application's database gets them from its migrations (bot.migrations)."""
    Base.metadata.create_all(engine)
