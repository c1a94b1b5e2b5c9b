"""The project's own tables, as the migrations see them: the knowledge base, the inquiries, the
staff console and the feedback loop each keep their declarative Base; together their metadata is what the database must
match at the head revision. Any other table in the database (Rasa's tracker store, when it shares
the database) is none of the migrations' business."""
from __future__ import annotations

from sqlalchemy import MetaData


def project_metadata() -> tuple[MetaData, ...]:
    # Imported here so that importing bot.migrations stays cheap for commands that never migrate.
    from bot.feedback.models import Base as FeedbackBase
    from bot.inquiries.models import Base as InquiryBase
    from bot.staff.models import Base as StaffBase
    from knowledge.models import Base as KnowledgeBase

    return KnowledgeBase.metadata, InquiryBase.metadata, StaffBase.metadata, FeedbackBase.metadata


def project_table_names() -> frozenset[str]:
    return frozenset(table.name for metadata in project_metadata() for table in metadata.tables.values())


def include_name(name, type_, parent_names) -> bool:
    """Autogenerate and compare_metadata look only at our tables: a table Rasa (or anyone else) keeps
    in the same database is never proposed for dropping."""
    if type_ == "table":
        return name in project_table_names()
    return True
