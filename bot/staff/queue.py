"""The queue of inquiries and escalations: filters, search, pages, counts per status, inquiries per
week, and the CSV export of a filtered queue (with spreadsheet formula injection neutralised)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Dict, List, Mapping, Optional, Tuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.inquiries.models import KINDS, STATUSES, Inquiry
from bot.inquiries.reference import is_valid_reference, normalise_reference
from bot.inquiries.service import InquiryRecord, record_values

from .dates import day_from
from .models import InquiryAssignment, StaffAccount

PAGE_SIZE = 25
OPEN_STATUSES = ("new", "in_review", "contacted")
KIND_LABELS = {"affiliation": "Sister-city request", "escalation": "Talk to a person"}
MAX_QUERY_CHARS = 200


def zone(name: str) -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 -- an unknown zone name or no tz database: UTC, still correct
        return timezone.utc


@dataclass(frozen=True)
class QueueFilter:
    """What the queue page's filter form (or a CSV link) asks for; invalid values are dropped."""

    status: str = ""  # a status, "open" (new, in review, contacted) or "" (all)
    kind: str = ""
    country: str = ""
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    q: str = ""
    assignee: str = ""  # "", "me", "none" or an account id
    page: int = 1

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "QueueFilter":
        def day(name: str) -> Optional[date]:
            return day_from(params.get(name))

        status = params.get("status", "")
        kind = params.get("kind", "")
        assignee = params.get("assignee", "")
        try:
            page = max(1, min(int(params.get("page", "1")), 100000))
        except ValueError:
            page = 1
        return cls(
            status=status if status in STATUSES or status == "open" else "",
            kind=kind if kind in KINDS else "",
            country=(params.get("country") or "").strip()[:200],
            date_from=day("from"), date_to=day("to"),
            q=" ".join((params.get("q") or "").split())[:MAX_QUERY_CHARS],
            assignee=assignee if assignee in ("me", "none") or assignee.isdigit() else "",
            page=page,
        )

    def query(self, **changes) -> Dict[str, str]:
        """As query parameters (for links: pages, CSV, status counts), without the empty ones."""
        f = replace(self, **changes)
        values = {"status": f.status, "kind": f.kind, "country": f.country,
                  "from": f.date_from.isoformat() if f.date_from else "",
                  "to": f.date_to.isoformat() if f.date_to else "", "q": f.q, "assignee": f.assignee,
                  "page": str(f.page) if f.page > 1 else ""}
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.status or self.kind or self.country or self.date_from or self.date_to or self.q
                    or self.assignee)


@dataclass(frozen=True)
class QueueRow(InquiryRecord):
    """An inquiry as the queue lists it: the inquiry's record and who it is assigned to."""

    assignee: Optional[str] = None


@dataclass(frozen=True)
class QueuePage:
    rows: List[QueueRow]
    total: int
    page: int
    pages: int


def _conditions(f: QueueFilter, me: Optional[int], tz: tzinfo) -> list:
    conditions = []
    if f.status == "open":
        conditions.append(Inquiry.status.in_(OPEN_STATUSES))
    elif f.status:
        conditions.append(Inquiry.status == f.status)
    if f.kind:
        conditions.append(Inquiry.kind == f.kind)
    if f.country:
        conditions.append(or_(func.lower(Inquiry.organisation_country) == f.country.lower(),
                              func.lower(Inquiry.partner_country) == f.country.lower()))
    # Dates are days in the console's time zone; stored times are UTC.
    if f.date_from:
        conditions.append(Inquiry.created_at >= datetime.combine(f.date_from, time.min, tz))
    if f.date_to:
        conditions.append(Inquiry.created_at < datetime.combine(f.date_to + timedelta(days=1), time.min, tz))
    if f.q:
        term = f.q.lower()
        matches = [func.lower(column).contains(term, autoescape=True)
                   for column in (Inquiry.reference, Inquiry.organisation, Inquiry.contact_name, Inquiry.email)]
        if is_valid_reference(f.q):
            matches.append(Inquiry.reference == normalise_reference(f.q))
        conditions.append(or_(*matches))
    if f.assignee == "none":
        conditions.append(InquiryAssignment.account_id.is_(None))
    elif f.assignee == "me" and me is not None:
        conditions.append(InquiryAssignment.account_id == me)
    elif f.assignee.isdigit():
        conditions.append(InquiryAssignment.account_id == int(f.assignee))
    return conditions


def _select(f: QueueFilter, me: Optional[int], tz: tzinfo):
    assignee = func.coalesce(StaffAccount.name, StaffAccount.email)
    stmt = (select(Inquiry, assignee)
            .outerjoin(InquiryAssignment, InquiryAssignment.inquiry_id == Inquiry.id)
            .outerjoin(StaffAccount, InquiryAssignment.account_id == StaffAccount.id))
    for condition in _conditions(f, me, tz):
        stmt = stmt.where(condition)
    return stmt.order_by(Inquiry.created_at.desc(), Inquiry.id.desc())  # newest first


def _row(i: Inquiry, assignee: Optional[str]) -> QueueRow:
    return QueueRow(**record_values(i), assignee=assignee)


def search(engine, f: QueueFilter, me: Optional[int] = None, tz: tzinfo = timezone.utc,
           page_size: int = PAGE_SIZE) -> QueuePage:
    stmt = _select(f, me, tz)
    with Session(engine, future=True) as session:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        pages = max(1, -(-total // page_size))
        page = min(f.page, pages)
        rows = session.execute(stmt.limit(page_size).offset((page - 1) * page_size)).all()
        return QueuePage([_row(i, who) for i, who in rows], total, page, pages)


def status_counts(engine) -> Dict[str, int]:
    with Session(engine, future=True) as session:
        found = dict(session.execute(select(Inquiry.status, func.count(Inquiry.id)).group_by(Inquiry.status)).all())
    return {status: found.get(status, 0) for status in STATUSES}


def weekly_counts(engine, weeks: int = 12, now: Optional[datetime] = None,
                  tz: tzinfo = timezone.utc) -> List[Tuple[date, int]]:
    """Inquiries received per week (Monday to Sunday in the console's zone), oldest week first,
    the current week last; weeks without inquiries count 0."""
    now = (now or datetime.now(timezone.utc)).astimezone(tz)
    this_monday = now.date() - timedelta(days=now.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, time.min, tz)
    counts = {first + timedelta(weeks=i): 0 for i in range(weeks)}
    with Session(engine, future=True) as session:
        for created in session.scalars(select(Inquiry.created_at).where(Inquiry.created_at >= since)):
            day = created.astimezone(tz).date()
            monday = day - timedelta(days=day.weekday())
            if monday in counts:
                counts[monday] += 1
    return sorted(counts.items())


def countries(engine) -> List[str]:
    """Every country named by an inquiry (organisation's or preferred partner's), for the filter."""
    with Session(engine, future=True) as session:
        found = set(session.scalars(select(Inquiry.organisation_country).distinct()))
        found |= set(session.scalars(select(Inquiry.partner_country).distinct()))
    return sorted((c for c in found if c), key=str.casefold)


# -- CSV export ------------------------------------------------------------------------------------------
CSV_COLUMNS = ("reference", "kind", "status", "created_at", "updated_at", "assigned_to", "organisation",
               "organisation_country", "contact_name", "email", "phone", "partner_preference", "partner_country",
               "purpose", "message", "conversation_id", "channel")
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection):
# =HYPERLINK(...), +cmd|..., -2+3, @SUM(...), and tab / carriage return variants.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(engine, f: QueueFilter, me: Optional[int] = None, tz: tzinfo = timezone.utc) -> str:
    """Every inquiry matching the filter (all pages), newest first, as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    with Session(engine, future=True) as session:
        for i, who in session.execute(_select(f, me, tz)):
            row = _row(i, who)
            values = {**row.__dict__, "assigned_to": who,
                      "created_at": row.created_at.astimezone(tz), "updated_at": row.updated_at.astimezone(tz)}
            writer.writerow([csv_cell(values[c]) for c in CSV_COLUMNS])
    return out.getvalue()
