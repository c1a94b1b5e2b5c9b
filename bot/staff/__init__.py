"""The staff console's service layer (no web code): accounts and sessions, the audit trail, the
inquiry workflow and queue, transcripts from the tracker store, and knowledge-base editing.
The web pages are in bot/web/staff; the commands in bot/staff/cli.py."""
from __future__ import annotations

from typing import Optional


def prepare_staff(engine, settings) -> Optional[str]:
    """Stop a reload of changed data files from discarding knowledge-base edits made in the console
    that were never exported (bot/prepare.py calls this before loading; the staff tables come from
    the migrations, bot/migrations). Returns a reminder of unexported edits, if any."""
    from bot.prepare import FILES_HASH_KEY, files_hash

    from .kb.export_state import guard_console_edits

    return guard_console_edits(engine, settings.knowledge_dir, FILES_HASH_KEY, files_hash(settings.knowledge_dir))
