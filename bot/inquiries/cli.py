"""Command-line hooks: ``inquiries list``, ``inquiries show REF`` and ``notifier``.

bot/cli.py calls ``register(subparsers)``; every command sets ``handler`` (returning the
exit code) like the other commands do.
"""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from dataclasses import asdict
from datetime import datetime
from typing import List, Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.settings import load_settings

from .models import STATUSES
from .reference import is_valid_reference, normalise_reference
from .service import InquiryRecord, get_inquiry, list_inquiries

EXAMPLE_REFERENCE = "SC-2026-483920-8"


def _engine():
    from bot.database import migrated_engine

    settings = load_settings()
    return settings, migrated_engine(settings.database_url)  # works before the first `make run` too


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _when(value: Optional[datetime]) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "-"


def _table(records: List[InquiryRecord]) -> str:
    header = ("REFERENCE", "KIND", "STATUS", "CREATED", "ORGANISATION", "COUNTRY")
    rows = [(r.reference, r.kind, r.status, _when(r.created_at), r.organisation or "-",
             r.organisation_country or "-") for r in records]
    widths = [min(max(len(str(row[i])) for row in [header, *rows]), 40) for i in range(len(header))]

    def line(row):
        return "  ".join(str(cell)[:w].ljust(w) for cell, w in zip(row, widths)).rstrip()

    return "\n".join(line(row) for row in [header, *rows])


def _database_error(error: SQLAlchemyError) -> int:
    # The class only: the message may quote stored values.
    print(f"Cannot read the inquiries database ({type(error).__name__}). Check DATABASE_URL.", file=sys.stderr)
    return 2


def cmd_list(args: argparse.Namespace) -> int:
    try:
        _, engine = _engine()
        records = list_inquiries(engine, status=args.status, limit=args.limit)
    except SQLAlchemyError as error:
        return _database_error(error)
    if args.json:
        print(json.dumps([_jsonable(asdict(r)) for r in records], indent=2, ensure_ascii=False))
    elif not records:
        print("No inquiries" + (f" with status {args.status}." if args.status else " yet."))
    else:
        print(_table(records))
    return 0


def _details(record: InquiryRecord) -> str:
    lines = []
    for name, value in asdict(record).items():
        if name == "notifications":
            continue
        label = name.replace("_", " ").capitalize()
        shown = _when(value) if isinstance(value, datetime) else (value if value is not None else "-")
        lines.append(f"{label + ':':<22}{shown}")
    if not record.notifications:
        lines.append("Notification:         none")
    for n in record.notifications:
        state = f"{n.status}, {n.attempts} attempt(s)"
        if n.status == "sent":
            state += f", sent {_when(n.sent_at)} to {', '.join(n.recipients)}"
        elif n.status == "pending":
            state += f", next attempt {_when(n.next_attempt_at)}"
        if n.last_error:
            state += f" (last: {n.last_error})"
        lines.append(f"{'Notification:':<22}{state}")
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    reference = normalise_reference(args.reference)
    if not is_valid_reference(reference):
        print(f"{args.reference!r} is not a valid inquiry reference (expected e.g. {EXAMPLE_REFERENCE}; "
              f"the last digit is a check digit, so a typo shows up here).", file=sys.stderr)
        return 1
    try:
        _, engine = _engine()
        record = get_inquiry(engine, reference)
    except SQLAlchemyError as error:
        return _database_error(error)
    if record is None:
        print(f"No inquiry has the reference {reference}.", file=sys.stderr)
        return 1
    print(json.dumps(_jsonable(asdict(record)), indent=2, ensure_ascii=False) if args.json else _details(record))
    return 0


def cmd_notifier(args: argparse.Namespace) -> int:
    from .notify import run_notifier

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings, engine = _engine()
    stop = threading.Event()
    # Ctrl-C and SIGTERM both end the loop after the current round.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    mode = (f"sending via {settings.smtp_host}:{settings.smtp_port}" if settings.smtp_host and settings.staff_emails
            else "outbox mode (SMTP_HOST or STAFF_EMAILS not set: nothing is sent)")
    print(f"The notifier is running, {mode}. Press Ctrl-C to stop.", flush=True)
    run_notifier(engine, settings, stop, interval=args.interval)
    print("Notifier stopped.")
    return 0


def register(subparsers) -> None:
    """Add ``inquiries`` (list, show) and ``notifier`` to a parser's subcommands."""
    inquiries = subparsers.add_parser("inquiries", help="sister-city inquiries and escalations")
    commands = inquiries.add_subparsers(dest="inquiries_command", required=True)

    listing = commands.add_parser("list", help="inquiries, newest first")
    listing.add_argument("--status", choices=STATUSES, help="only inquiries with this status")
    listing.add_argument("--limit", type=int, default=None, help="at most this many")
    listing.add_argument("--json", action="store_true", help="every field, as JSON")
    listing.set_defaults(handler=cmd_list)

    show = commands.add_parser("show", help="every field of one inquiry and its notification")
    show.add_argument("reference", help=f"e.g. {EXAMPLE_REFERENCE}")
    show.add_argument("--json", action="store_true", help="as JSON")
    show.set_defaults(handler=cmd_show)

    notifier = subparsers.add_parser("notifier", help="e-mail staff about new inquiries (runs until Ctrl-C)")
    notifier.add_argument("--interval", type=float, default=5, help="seconds between rounds")
    notifier.set_defaults(handler=cmd_notifier)
