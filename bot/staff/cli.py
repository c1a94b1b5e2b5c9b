"""Commands: ``staff add|passwd|disable|enable|list`` and ``kb export``.

bot/cli.py calls ``register(subparsers)`` and ``register_kb_export(kb_subparsers)``. A password is
never an argument (it would be in the shell history and in `ps`): it is asked for twice when the
command runs in a terminal, or read as one line from standard input otherwise, e.g.
``printf '%s\\n' "$PASSWORD" | python -m bot staff add someone@example.org``.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import load_settings


def _engine(settings):
    from bot.database import migrated_engine

    return migrated_engine(settings.database_url)  # the commands work before the first `make run` too


def read_password(prompt: str = "Password: ", stdin=None) -> str:
    """Twice from the terminal (no echo), or one line from standard input when it is not a terminal."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Repeat the password: ") != first:
            raise ValueError("the two passwords differ")
        return first
    line = stdin.readline()
    if not line:
        raise ValueError("no password on standard input")
    return line.rstrip("\r\n")


def _password_or_exit(email: str) -> str:
    from .accounts import MIN_PASSWORD_CHARS

    if sys.stdin.isatty():
        print(f"Choose a password for {email} (at least {MIN_PASSWORD_CHARS} characters; a passphrase is best).")
    try:
        return read_password()
    except (ValueError, EOFError, KeyboardInterrupt) as error:
        raise SystemExit(f"No account change: {error or 'interrupted'}.") from None


def cmd_add(args: argparse.Namespace) -> int:
    from .accounts import AccountError, create_account, normalise_email

    try:
        email = normalise_email(args.email)
    except AccountError as error:
        print(f"Cannot add {args.email!r}: {error}.", file=sys.stderr)
        return 1
    password = _password_or_exit(email)
    try:
        account = create_account(_engine(load_settings()), email, password, args.name)
    except AccountError as error:
        print(f"No account was added: {error}.", file=sys.stderr)
        return 1
    print(f"Added the staff account {account.email}. Sign in at the console's /staff/ page.")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from .accounts import AccountError, normalise_email, set_password

    try:
        email = normalise_email(args.email)
        password = _password_or_exit(email)
        account = set_password(_engine(load_settings()), email, password)
    except AccountError as error:
        print(f"The password was not changed: {error}.", file=sys.stderr)
        return 1
    print(f"Changed the password of {account.email}; their open sessions were ended.")
    return 0


def _cmd_active(active: bool):
    def run(args: argparse.Namespace) -> int:
        from .accounts import AccountError, set_active

        try:
            account = set_active(_engine(load_settings()), args.email, active)
        except AccountError as error:
            print(f"Nothing changed: {error}.", file=sys.stderr)
            return 1
        print(f"{account.email} is {'enabled' if active else 'disabled (signed out everywhere)'}.")
        return 0

    return run


def cmd_list(args: argparse.Namespace) -> int:
    from .accounts import list_accounts

    accounts = list_accounts(_engine(load_settings()))
    if not accounts:
        print("No staff accounts yet. Add one with: python -m bot staff add EMAIL")
        return 0
    for a in accounts:
        last = f"{a.last_login_at:%Y-%m-%d %H:%M} UTC" if a.last_login_at else "never"
        print(f"{a.email:<40} {'active' if a.active else 'disabled':<9} last sign-in {last}"
              + (f"  ({a.name})" if a.name else ""))
    return 0


def register(subparsers) -> None:
    """Add ``staff`` (add, passwd, disable, enable, list) to a parser's subcommands."""
    staff = subparsers.add_parser("staff", help="staff console accounts (passwords are prompted, never arguments)")
    commands = staff.add_subparsers(dest="staff_command", required=True)
    add = commands.add_parser("add", help="add a staff account; the password is prompted (or read from stdin)")
    add.add_argument("email", help="the person's e-mail address (their sign-in name)")
    add.add_argument("--name", help="how colleagues see them in the console, e.g. 'Aiko Sato'")
    add.set_defaults(handler=cmd_add)
    passwd = commands.add_parser("passwd", help="set a new password (prompted); ends the account's sessions")
    passwd.add_argument("email")
    passwd.set_defaults(handler=cmd_passwd)
    for name, active, text in (("disable", False, "stop an account from signing in; ends its sessions"),
                               ("enable", True, "allow a disabled account to sign in again")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("email")
        sub.set_defaults(handler=_cmd_active(active))
    commands.add_parser("list", help="the staff accounts").set_defaults(handler=cmd_list)


# -- kb export ---------------------------------------------------------------------------------------------
def cmd_kb_export(args: argparse.Namespace) -> int:
    from bot.prepare import FILES_HASH_KEY, files_hash
    from knowledge import models as m
    from knowledge.errors import KnowledgeError
    from knowledge.export import ExportError, export

    from .kb.export_state import mark_exported

    settings = load_settings()
    engine = _engine(settings)
    with Session(engine, future=True) as session:
        if session.scalar(select(m.Meta.value).where(m.Meta.key == "version")) is None:
            print("The database holds no knowledge base yet (run `python -m bot kb load`); nothing was written.",
                  file=sys.stderr)
            return 1
    data_dir = Path(args.data_dir)
    try:
        result = export(engine, data_dir)
    except (KnowledgeError, ExportError) as error:
        print(f"Nothing was written: {error}", file=sys.stderr)
        return 1
    if data_dir.resolve() == Path(settings.knowledge_dir).resolve():
        mark_exported(engine, result.written, data_dir, FILES_HASH_KEY, files_hash(data_dir))
    if result.written:
        print(f"Wrote {', '.join(result.written)} in {data_dir}. Review with `git diff {data_dir}`, then commit.")
    else:
        print(f"The files in {data_dir} already match the database; nothing to write.")
    return 0


def register_kb_export(kb_subparsers) -> None:
    """Add ``export`` to the ``kb`` command's subcommands."""
    sub = kb_subparsers.add_parser("export", help="write the database's knowledge base back to the data files")
    sub.add_argument("--data-dir", type=Path, default=load_settings().knowledge_dir)
    sub.set_defaults(handler=cmd_kb_export)
