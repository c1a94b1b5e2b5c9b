"""`python -m bot staff ...`: accounts are made from the command line; the password is prompted in a
terminal or read from standard input, never taken from the arguments; there is no default account."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import build_parser
from bot.staff import cli as staff_cli
from bot.staff.accounts import list_accounts
from bot.staff.models import StaffAccount
from tests.staff.client import make_client
from tests.staff.conftest import sign_in
from tests.staff.test_export import cli

SECRET = "a long and private passphrase"


def test_no_staff_command_has_a_password_argument():
    parser = build_parser()
    staff = parser._subparsers._group_actions[0].choices["staff"]
    for name, sub in staff._subparsers._group_actions[0].choices.items():
        for action in sub._actions:
            assert "pass" not in action.dest and not any("pass" in o for o in action.option_strings), (name, action)
    for argv in (["staff", "add", "a@clair.example", "--password", SECRET],
                 ["staff", "add", "a@clair.example", SECRET], ["staff", "passwd", "a@clair.example", SECRET]):
        with pytest.raises(SystemExit) as refused:
            parser.parse_args(argv)
        assert refused.value.code == 2


def test_there_is_no_account_until_one_is_added(engine, app, anonymous):
    assert list_accounts(engine) == []
    for email, password in (("admin@clair.example", "admin"), ("admin", "admin"), ("staff@clair.example", "password")):
        assert sign_in(anonymous, email, password).status_code == 401


def test_staff_add_reads_the_password_from_stdin_and_it_works_in_the_console(settings, engine, app):
    done = cli(settings, "staff", "add", "Aiko@CLAIR.example", "--name", "Aiko Sato", stdin=SECRET + "\n")
    assert done.returncode == 0, done.stderr
    assert "aiko@clair.example" in done.stdout and SECRET not in done.stdout + done.stderr
    with Session(engine) as session:
        stored = session.scalars(select(StaffAccount)).one()
    assert stored.email == "aiko@clair.example" and stored.name == "Aiko Sato"
    assert stored.password_hash.startswith("$argon2id$") and SECRET not in stored.password_hash
    with make_client(app) as browser:
        assert sign_in(browser, "aiko@clair.example", SECRET).status_code == 303

    again = cli(settings, "staff", "add", "aiko@clair.example", stdin=SECRET + "\n")
    assert again.returncode == 1 and "exists already" in again.stderr
    listed = cli(settings, "staff", "list")
    assert "aiko@clair.example" in listed.stdout and "active" in listed.stdout


def test_weak_or_missing_passwords_add_nothing(settings, engine):
    for stdin, reason in (("short\n", "at least 12 characters"), ("", "no password"),
                          ("aiko@clair.example\n", "must not be the e-mail address")):
        done = cli(settings, "staff", "add", "aiko@clair.example", stdin=stdin)
        assert done.returncode != 0 and reason in done.stderr, (stdin, done.stderr)
    bad = cli(settings, "staff", "add", "not-an-address", stdin=SECRET + "\n")
    assert bad.returncode == 1 and "not a valid e-mail address" in bad.stderr
    assert list_accounts(engine) == []


def test_passwd_and_disable(settings, engine, app):
    cli(settings, "staff", "add", "aiko@clair.example", stdin=SECRET + "\n")
    with make_client(app) as browser:
        sign_in(browser, "aiko@clair.example", SECRET)
        assert browser.get("/", follow_redirects=False).status_code == 200
        changed = cli(settings, "staff", "passwd", "aiko@clair.example", stdin="a brand new passphrase\n")
        assert changed.returncode == 0, changed.stderr
        assert browser.get("/", follow_redirects=False).status_code == 303  # signed out everywhere
        assert sign_in(browser, "aiko@clair.example", SECRET).status_code == 401
        assert sign_in(browser, "aiko@clair.example", "a brand new passphrase").status_code == 303
        assert cli(settings, "staff", "disable", "aiko@clair.example").returncode == 0
        assert browser.get("/", follow_redirects=False).status_code == 303
        assert cli(settings, "staff", "disable", "nobody@clair.example").returncode == 1


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_in_a_terminal_the_password_is_asked_twice_without_echo(monkeypatch):
    answers = iter([SECRET, SECRET, SECRET, "something else"])
    monkeypatch.setattr(staff_cli.getpass, "getpass", lambda prompt="": next(answers))
    assert staff_cli.read_password(stdin=FakeTerminal()) == SECRET
    with pytest.raises(ValueError, match="differ"):
        staff_cli.read_password(stdin=FakeTerminal())
    assert staff_cli.read_password(stdin=io.StringIO(SECRET + "\r\n")) == SECRET
