"""`inquiries list`, `inquiries show` and `notifier` through register() on a fresh parser."""
import argparse
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from bot.inquiries.cli import register
from bot.inquiries.models import create_schema
from bot.inquiries.service import escalate, submit_inquiry

from .inquiry_helpers import make_draft

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)

# What `python -m bot` will do once bot/cli.py calls register(); used by the subprocess test.
LAUNCHER = (
    "import argparse, sys\n"
    "from bot.inquiries.cli import register\n"
    "parser = argparse.ArgumentParser()\n"
    "register(parser.add_subparsers(dest='command', required=True))\n"
    "args = parser.parse_args(sys.argv[1:])\n"
    "sys.exit(args.handler(args))\n"
)


def run(*argv):
    parser = argparse.ArgumentParser(prog="python -m bot")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.handler(args)


@pytest.fixture
def database(tmp_path, monkeypatch):
    """DATABASE_URL -> a tmp SQLite file with two inquiries and an escalation."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = create_engine(url, future=True)
    create_schema(engine)
    refs = {
        "vn": submit_inquiry(engine, make_draft(organisation="Da Nang People's Committee",
                                                organisation_country="Vietnam"), "k1", now=NOW).reference,
        "ph": submit_inquiry(engine, make_draft(), "k2", now=NOW + timedelta(minutes=1)).reference,
        "esc": escalate(engine, "conv-3", "rest", "Please call me", submission_key="k3",
                        now=NOW + timedelta(minutes=2)).reference,
    }
    engine.dispose()
    return url, refs


def test_list_json(database, capsys):
    _, refs = database
    assert run("inquiries", "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["reference"] for r in rows] == [refs["esc"], refs["ph"], refs["vn"]]
    vn = rows[2]
    assert vn["kind"] == "affiliation" and vn["status"] == "new"
    assert vn["organisation_country"] == "Vietnam" and vn["created_at"] == "2026-03-14T09:30:00+00:00"
    assert vn["notifications"][0]["status"] == "pending"


def test_list_table(database, capsys):
    _, refs = database
    assert run("inquiries", "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["REFERENCE", "KIND", "STATUS", "CREATED", "ORGANISATION", "COUNTRY"]
    assert refs["vn"] in out[3] and "Da Nang People's Committee" in out[3] and "Vietnam" in out[3]
    assert "2026-03-14 09:30 UTC" in out[3]
    assert refs["esc"] in out[1] and "escalation" in out[1]


def test_list_status_filter_and_limit(database, capsys):
    assert run("inquiries", "list", "--status", "closed") == 0
    assert "No inquiries with status closed." in capsys.readouterr().out
    assert run("inquiries", "list", "--json", "--limit", "1") == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    with pytest.raises(SystemExit):
        run("inquiries", "list", "--status", "bogus")


def test_list_empty_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new' / 'empty.sqlite3'}")
    assert run("inquiries", "list") == 0  # schema created on first use
    assert "No inquiries yet." in capsys.readouterr().out


def test_show_every_field_and_the_notification(database, capsys):
    _, refs = database
    assert run("inquiries", "show", refs["ph"].lower()) == 0
    out = capsys.readouterr().out
    for expected in (refs["ph"], "affiliation", "Batangas City Government", "Philippines", "Maria Santos",
                     "maria.santos@batangas.example", "+63 43 123 4567", "a coastal city in Kyushu", "Japan",
                     "Fisheries, tourism and youth exchange", "We visited Japan in 2024.", "conv-1", "rest",
                     "2026-03-14 09:31 UTC", "Notification:", "pending, 0 attempt(s)"):
        assert expected in out, expected


def test_show_json(database, capsys):
    _, refs = database
    assert run("inquiries", "show", refs["esc"], "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "escalation" and data["message"] == "Please call me" and data["email"] is None


def test_show_malformed_reference(database, capsys):
    _, refs = database
    typo = refs["vn"][:-1] + str((int(refs["vn"][-1]) + 1) % 10)
    for bad in ("hello", typo):
        assert run("inquiries", "show", bad) == 1
        err = capsys.readouterr().err
        assert "not a valid inquiry reference" in err and "SC-2026-483920-8" in err


def test_show_unknown_reference(database, capsys):
    assert run("inquiries", "show", "SC-2026-483920-8") == 1  # valid check digit, not stored
    assert "No inquiry has the reference SC-2026-483920-8." in capsys.readouterr().err


def test_database_unreachable(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/x")
    assert run("inquiries", "list") == 2
    assert "OperationalError" in capsys.readouterr().err


def test_notifier_process_sends_and_stops_on_sigterm(database, smtp_server):
    url, refs = database
    env = dict(os.environ, DATABASE_URL=url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_server.port),
               SMTP_STARTTLS="false", SMTP_FROM="assistant@clair.example", STAFF_EMAILS="staff@clair.example")
    process = subprocess.Popen([sys.executable, "-c", LAUNCHER, "notifier", "--interval", "0.1"], cwd=PROJECT_ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while len(smtp_server.handler.messages) < 3 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "The notifier is running, sending via 127.0.0.1" in out and "Notifier stopped." in out
    assert {m["Subject"].split()[-1].strip("()") for m in smtp_server.handler.messages} == set(refs.values())
    for personal in ("Maria", "batangas", "Da Nang"):
        assert personal not in err  # the log (stderr) names references, not people
    assert refs["vn"] in err
