"""`python -m bot nlu suggestions --export FILE`: the training-suggestions queue (wordings staff
pointed to an existing answer on the Unanswered page) written as Rasa NLU YAML."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot.settings import load_settings


def cmd_suggestions(args: argparse.Namespace) -> int:
    from bot.database import migrated_engine

    from .suggestions import export, queued

    engine = migrated_engine(load_settings().database_url)
    if args.export is None:
        for intent, texts in queued(engine).items():
            print(f"{intent}: {len(texts)}")
        return 0
    count = export(engine, args.export)
    print(f"Wrote {count} training suggestion{'s' if count != 1 else ''} to {args.export}")
    return 0


def register(commands) -> None:
    nlu = commands.add_parser("nlu", help="NLU training data from the console").add_subparsers(
        dest="nlu_command", required=True)
    sub = nlu.add_parser("suggestions", help="the training-suggestions queue (counts per intent, or --export)")
    sub.add_argument("--export", type=Path, metavar="FILE", help="write the queue as Rasa NLU YAML")
    sub.set_defaults(handler=cmd_suggestions)
