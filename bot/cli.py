"""`python -m bot`: the operators' command line."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from bot.inquiries.cli import register as register_inquiry_commands
from bot.migrations.cli import register as register_database_commands
from bot.staff.cli import register as register_staff_commands, register_kb_export
from bot.staff.unanswered.cli import register as register_nlu_commands
from bot.settings import Settings, SettingsError, load_settings
from bot.staff.kb.export_state import ConsoleEditsAtRisk


def cmd_kb_check(args: argparse.Namespace) -> int:
    from knowledge.errors import KnowledgeError
    from knowledge.loader import check

    try:
        check(args.data_dir)
    except KnowledgeError as error:
        print(f"The knowledge base files have errors:\n{error}", file=sys.stderr)
        return 1
    print(f"The knowledge base files in {args.data_dir} are valid.")
    return 0


def cmd_kb_load(args: argparse.Namespace) -> int:
    from knowledge.errors import KnowledgeError
    from knowledge.loader import load_into_database
    from bot.database import migrated_engine

    engine = migrated_engine(load_settings().database_url)
    try:
        data = load_into_database(engine, args.data_dir, create_tables=False)
    except KnowledgeError as error:
        print(f"Nothing was loaded; the database is unchanged. Errors:\n{error}", file=sys.stderr)
        return 1
    print(f"Loaded the knowledge base from {args.data_dir}: {len(data.affiliations)} affiliations, "
          f"{len(data.editions)} programme editions, {len(data.positions)} JET positions, "
          f"{len(data.places)} places, {len(data.countries)} countries, {len(data.prefectures)} prefectures.")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from bot.prepare import prepare

    model = prepare(load_settings())
    print(f"Model: {model}")
    return 0


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def cmd_run(args: argparse.Namespace) -> int:
    from bot.preflight import shown, store_problems
    from bot.prepare import prepare
    from bot.services import AlreadyRunning, Supervisor, assistant_services, ports_in_use

    settings = load_settings()
    # Say "already running" before minutes of set-up, not after (the model path is not needed yet).
    busy = ports_in_use(assistant_services(settings, settings.models_dir, web_app=True))
    if busy:
        print(AlreadyRunning.about(busy), file=sys.stderr)
        return 1
    problems = store_problems(settings)
    if problems:
        print("\n".join(problems) + "\nStart them, or point the settings at yours (README: Production profile).",
              file=sys.stderr)
        return 1
    model = prepare(settings)
    # SIGTERM ends the run like Ctrl-C does, so the supervisor stops every child.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with Supervisor(assistant_services(settings, model, web_app=True), settings) as supervisor:
            print(f"\nThe assistant is running.\n"
                  f"  Chat page:                  {settings.web_url}/\n"
                  f"  Staff console:              {settings.web_url}/staff/\n"
                  f"  Rasa server (REST channel): {settings.rasa_url}/webhooks/rest/webhook\n"
                  f"  Rasa server (socket.io):    {settings.rasa_url}/socket.io\n"
                  f"  Action server:              http://{settings.action_host}:{settings.action_port}\n"
                  f"  Staff notifications:        {'e-mail via ' + settings.smtp_host if settings.smtp_host else 'outbox only (SMTP_HOST not set)'}\n"
                  f"  Profile:                    {settings.profile}\n"
                  f"  Database:                   {shown(settings.database_url)}\n"
                  f"  Tracker store:              {shown(settings.tracker_store_url)}\n"
                  f"  Lock store:                 {shown(settings.lock_store_url) or 'in memory (one Rasa server)'}\n"
                  f"  Logs:                       {settings.log_dir}\n"
                  f"Press Ctrl-C to stop.", flush=True)
            died = supervisor.wait()
            print(f"The {died} stopped unexpectedly (see {settings.log_dir}); stopping the rest.", file=sys.stderr)
            return 1
    except AlreadyRunning as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
        return 0


def cmd_web(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    # --host/--port become the settings the app reads (create_app is a factory: it loads them).
    if args.host:
        os.environ["WEB_HOST"] = args.host
    if args.port:
        os.environ["WEB_PORT"] = str(args.port)
    settings = load_settings()
    # X-Forwarded-For/-Proto only from the reverse proxies the operator trusts (WEB_TRUSTED_PROXIES).
    trusted = ",".join(settings.web_trusted_proxies)
    uvicorn.run("bot.web.app:create_app", factory=True, host=settings.web_host, port=settings.web_port,
                proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None,
                server_header=False, log_level="info",
                ws="none")  # no websockets here (Rasa pins an older `websockets`); stops on SIGTERM
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from bot.evaluation import evaluate, evaluate_dev

    return evaluate_dev(load_settings(), args.set) if args.dev else evaluate(load_settings())


def cmd_bench(args: argparse.Namespace) -> int:
    from bot.bench.runner import main as bench

    return bench(quick=args.quick, reuse_models=args.reuse_models, only=args.only, var_dir=load_settings().var_dir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="CLAIR Singapore assistant")
    commands = parser.add_subparsers(dest="command", required=True)

    kb = commands.add_parser("kb", help="knowledge base files and database").add_subparsers(dest="kb_command", required=True)
    data_dir_default = load_settings().knowledge_dir
    for name, handler, text in (("check", cmd_kb_check, "validate the data files without loading"),
                                ("load", cmd_kb_load, "validate the data files and load them into the database")):
        sub = kb.add_parser(name, help=text)
        sub.add_argument("--data-dir", type=Path, default=data_dir_default)
        sub.set_defaults(handler=handler)
    register_kb_export(kb)

    commands.add_parser("train", help="build the knowledge base and train if inputs changed").set_defaults(handler=cmd_train)
    commands.add_parser("run", help="start the action server, the Rasa server, the web app and the notifier").set_defaults(handler=cmd_run)
    evaluate = commands.add_parser("evaluate", help="answer-level and NLU scores on the held-out sets (docs/benchmarks.md)")
    evaluate.add_argument("--dev", action="store_true", help="the development set instead (printed only; docs left alone)")
    evaluate.add_argument("--set", help="with --dev: one development set by name (dev_en, dev2_en, ..., or "
                                        "staff_matcher: the staff-answer matcher's, without serving the assistant)")
    evaluate.set_defaults(handler=cmd_evaluate)
    bench = commands.add_parser("bench", help="serving benchmarks beside Rasa's default recipe (docs/benchmarks.md)")
    bench.add_argument("--quick", action="store_true", help="reduced counts, for trying it out; leaves the docs alone")
    bench.add_argument("--reuse-models", action="store_true", help="serve the models of the last run instead of training")
    bench.add_argument("--only", choices=("ours", "baseline"), help="one configuration (leaves the docs alone)")
    bench.set_defaults(handler=cmd_bench)
    web = commands.add_parser("web", help="serve the chat page and the staff console (WEB_HOST:WEB_PORT)")
    web.add_argument("--host", help=f"default: WEB_HOST ({Settings.web_host})")
    web.add_argument("--port", type=int, help=f"default: WEB_PORT ({Settings.web_port})")
    web.set_defaults(handler=cmd_web)
    register_inquiry_commands(commands)
    register_staff_commands(commands)
    register_database_commands(commands)
    register_nlu_commands(commands)
    return parser


class _CurrentStream(logging.StreamHandler):
    """Writes to whatever sys.stdout or sys.stderr is at the time (a test may have replaced it)."""

    def __init__(self, name: str):
        super().__init__()
        self._name = name

    @property  # StreamHandler keeps its stream in a plain attribute; this one looks it up each time
    def stream(self):
        return getattr(sys, self._name)

    @stream.setter
    def stream(self, _value) -> None:
        pass


# Modules whose INFO lines are a command's progress; the database's go to stderr, since a command's
# stdout may be its result (JSON, a revision).
PROGRESS_ON_STDOUT = ("bot.prepare", "bot.training", "bot.services")
PROGRESS_ON_STDERR = ("bot.database",)


def _on_stdout(record: logging.LogRecord) -> bool:
    return record.name in PROGRESS_ON_STDOUT and record.levelno < logging.WARNING


def _on_stderr(record: logging.LogRecord) -> bool:
    return not _on_stdout(record)


def show_progress() -> None:
    """The progress lines (migrations, loading, training, starting the servers) and the project's
    warnings, as a command shows them."""
    project = logging.getLogger("bot")
    for handler in list(project.handlers):  # main() again in one process: one set of handlers
        project.removeHandler(handler)
    for stream, on_stdout in (("stdout", True), ("stderr", False)):
        handler = _CurrentStream(stream)
        handler.addFilter(_on_stdout if on_stdout else _on_stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        project.addHandler(handler)
    for name in PROGRESS_ON_STDOUT + PROGRESS_ON_STDERR:
        logging.getLogger(name).setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    show_progress()
    try:
        args = build_parser().parse_args(argv)  # its defaults come from the settings
        return args.handler(args)
    except (SettingsError, ConsoleEditsAtRisk) as error:  # a setting to fix, or edits to export first
        print(error, file=sys.stderr)
        return 1
