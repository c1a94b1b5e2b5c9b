"""Baseline: the project's tables as they were when migrations were introduced.

On an empty database this creates every table. Adopting a database made before migrations
(bot.migrations.upgrade does this when it finds our tables but no alembic_version), it keeps every
table already there with its rows, creates only the missing ones (for instance the staff console's
tables in a database older than the console), and refuses a table lacking a column rather than guess.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import context, op

from bot.migrations import ADOPTING, LegacySchemaError

revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Timestamps of inquiries and the staff console: bot.inquiries.timeutil.UTCDateTime stores this type.
UTC_DATETIME = sa.DateTime(timezone=True)


def _table(name: str, *elements, indexes: Sequence[tuple[str, list[str]]] = ()) -> None:
    """op.create_table plus its (non-unique) indexes; when adopting, an existing table is kept."""
    if context.config.attributes.get(ADOPTING):
        inspector = sa.inspect(op.get_bind())
        if inspector.has_table(name):
            wanted = {e.name for e in elements if isinstance(e, sa.Column)}
            missing = wanted - {c["name"] for c in inspector.get_columns(name)}
            if missing:
                raise LegacySchemaError(name, sorted(missing))
            return
    op.create_table(name, *elements)
    for index_name, columns in indexes:
        op.create_index(index_name, name, columns, unique=False)


def upgrade() -> None:
    # The knowledge base (knowledge/models.py).
    _table(
        "kb_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=128), nullable=False),
        sa.Column("alias", sa.String(length=256), nullable=False),
        sa.Column("norm", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "target", "alias"),
        indexes=[("ix_kb_alias_kind_norm", ["kind", "norm"])],
    )
    _table(
        "kb_country",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("asean", sa.Boolean(), nullable=False),
        sa.Column("home", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    _table(
        "kb_edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("host_text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source_note", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('held', 'cancelled')", name="ck_kb_edition_status"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fiscal_year"),
    )
    _table(
        "kb_jet_participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fiscal_year"),
    )
    _table(
        "kb_jet_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("workplace", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    _table(
        "kb_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    _table(
        "kb_prefecture",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    _table(
        "kb_supporting_body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("abbreviation", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("abbreviation"),
    )
    _table(
        "kb_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject", "key", "seq"),
    )
    _table(
        "kb_edition_country",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("edition_id", "country_id"),
        sa.ForeignKeyConstraint(["edition_id"], ["kb_edition.id"]),
        sa.ForeignKeyConstraint(["country_id"], ["kb_country.id"]),
    )
    _table(
        "kb_edition_detail",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("aims", sa.Text(), nullable=True),
        sa.Column("schedule_text", sa.Text(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=64), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("participants_description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["edition_id"], ["kb_edition.id"]),
        sa.PrimaryKeyConstraint("edition_id"),
    )
    _table(
        "kb_edition_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("location", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(["edition_id"], ["kb_edition.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _table(
        "kb_place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("region", sa.String(length=128), nullable=True),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("source_spelling", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.ForeignKeyConstraint(["country_id"], ["kb_country.id"]),
    )
    _table(
        "kb_affiliation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prefecture_id", sa.Integer(), nullable=False),
        sa.Column("municipality", sa.String(length=128), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("counterpart_as_written", sa.String(length=256), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["prefecture_id"], ["kb_prefecture.id"]),
        sa.ForeignKeyConstraint(["place_id"], ["kb_place.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _table(
        "kb_edition_city",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["kb_edition.id"]),
        sa.ForeignKeyConstraint(["place_id"], ["kb_place.id"]),
        sa.PrimaryKeyConstraint("edition_id", "place_id"),
    )

    # Inquiries and their notification outbox (bot/inquiries/models.py). The two check constraints
    # named "ck_%(table_name)s_..." really are called that: without a naming convention on the
    # metadata SQLAlchemy does not expand the token, and the baseline keeps the names as they are.
    _table(
        "inquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("organisation_country", sa.String(length=200), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("partner_preference", sa.String(length=200), nullable=True),
        sa.Column("partner_country", sa.String(length=128), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("conversation_id", sa.String(length=255), nullable=True),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("submission_key", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("kind IN ('affiliation', 'escalation')", name="ck_%(table_name)s_kind"),
        sa.CheckConstraint("status IN ('new', 'in_review', 'contacted', 'closed', 'declined')",
                           name="ck_%(table_name)s_status"),
        sa.CheckConstraint(
            "kind <> 'affiliation' OR (organisation IS NOT NULL AND organisation_country IS NOT NULL"
            " AND contact_name IS NOT NULL AND email IS NOT NULL AND partner_preference IS NOT NULL"
            " AND purpose IS NOT NULL)",
            name="ck_inquiries_affiliation_fields",
        ),
        sa.UniqueConstraint("reference"),
        sa.UniqueConstraint("submission_key"),
        indexes=[("ix_inquiries_status_created", ["status", "created_at"])],
    )
    _table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="ck_%(table_name)s_status"),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"]),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_notifications_due", ["status", "next_attempt_at"]),
                 ("ix_notifications_inquiry_id", ["inquiry_id"])],
    )

    # The staff console (bot/staff/models.py).
    _table(
        "staff_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("password_changed_at", UTC_DATETIME, nullable=False),
        sa.Column("last_login_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    _table(
        "staff_login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_staff_login_attempts_account", ["account_key", "at"]),
                 ("ix_staff_login_attempts_client", ["client_key", "at"])],
    )
    _table(
        "staff_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_key", sa.String(length=300), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["staff_accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_staff_audit_at", ["at"]),
                 ("ix_staff_audit_entity", ["entity", "entity_key"])],
    )
    _table(
        "staff_inquiry_assignments",
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", UTC_DATETIME, nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("inquiry_id"),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["staff_accounts.id"]),
        sa.ForeignKeyConstraint(["assigned_by"], ["staff_accounts.id"]),
        indexes=[("ix_staff_inquiry_assignments_account_id", ["account_id"])],
    )
    _table(
        "staff_inquiry_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["staff_accounts.id"]),
        indexes=[("ix_staff_inquiry_notes_inquiry_id", ["inquiry_id"])],
    )
    _table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("last_seen_at", UTC_DATETIME, nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sa.ForeignKeyConstraint(["account_id"], ["staff_accounts.id"]),
        indexes=[("ix_staff_sessions_account_id", ["account_id"])],
    )


def downgrade() -> None:
    # Children before parents; a table's indexes go with it.
    for name in ("staff_sessions", "staff_inquiry_notes", "staff_inquiry_assignments", "staff_audit",
                 "staff_login_attempts", "staff_accounts", "notifications", "inquiries",
                 "kb_edition_city", "kb_affiliation", "kb_place", "kb_edition_part", "kb_edition_detail",
                 "kb_edition_country", "kb_text", "kb_supporting_body", "kb_prefecture", "kb_meta",
                 "kb_jet_position", "kb_jet_participation", "kb_edition", "kb_country", "kb_alias"):
        op.drop_table(name)
