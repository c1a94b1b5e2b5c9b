import os
import re
from dataclasses import MISSING, fields
from pathlib import Path
from unittest import mock

import pytest

from bot.settings import (PRODUCTION_DATABASE_URL, PRODUCTION_LOCK_STORE_URL, PRODUCTION_TRACKER_STORE_URL, PROJECT_ROOT,
                          Settings, SettingsError, load_settings)


def test_defaults_are_embedded_and_local(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "TRACKER_STORE_URL", "RASA_HOST", "ACTION_HOST", "RASA_API_TOKEN", "MODELS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLAIR_VAR_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'clair.db'}"
    assert settings.tracker_store_url == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert settings.rasa_host == "127.0.0.1" and settings.action_host == "127.0.0.1"
    assert (settings.rasa_port, settings.action_port) == (5005, 5055)
    assert settings.rasa_api_token == ""
    assert settings.models_dir == tmp_path / "models"


def test_every_setting_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.example/clair")
    monkeypatch.setenv("TRACKER_STORE_URL", "postgresql://db.example/tracker")
    monkeypatch.setenv("RASA_PORT", "6000")
    monkeypatch.setenv("ACTION_HOST", "0.0.0.0")
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "300")
    settings = load_settings()
    assert settings.database_url == "postgresql://db.example/clair"
    assert settings.rasa_port == 6000
    env = settings.rasa_environment()
    assert env["TRACKER_STORE_URL"] == "postgresql://db.example/tracker"
    assert env["ACTION_ENDPOINT_URL"] == "http://0.0.0.0:5055/webhook"
    assert env["SANIC_HOST"] == "0.0.0.0"
    assert env["MAX_MESSAGE_CHARS"] == "300"


@pytest.mark.parametrize("name, value, message", [
    ("RASA_PORT", "five", "RASA_PORT must be a whole number"),
    ("CLAIR_PROFILE", "staging", "CLAIR_PROFILE must be one of embedded, production"),
])
def test_a_malformed_setting_is_a_clear_error(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_a_command_stops_on_a_malformed_setting_with_its_message(monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("RASA_PORT", "five")
    assert main(["kb", "check"]) == 1
    assert "RASA_PORT must be a whole number, not 'five'." in capsys.readouterr().err


def _without_store_settings(monkeypatch):
    for name in ("DATABASE_URL", "TRACKER_STORE_URL", "LOCK_STORE_URL", "LOCK_STORE_PREFIX", "CLAIR_PROFILE"):
        monkeypatch.delenv(name, raising=False)


def test_the_embedded_profile_uses_rasas_in_memory_lock_store(monkeypatch):
    _without_store_settings(monkeypatch)
    settings = load_settings()
    assert settings.profile == "embedded" and settings.lock_store_url == ""
    assert settings.endpoints_file.name == "endpoints.yml"


def test_the_production_profile_defaults_to_the_local_postgresql_and_redis(monkeypatch):
    _without_store_settings(monkeypatch)
    monkeypatch.setenv("CLAIR_PROFILE", "Production")
    settings = load_settings()
    assert settings.profile == "production"
    assert settings.database_url.startswith("postgresql://") and settings.database_url.endswith("/clair")
    assert settings.tracker_store_url.startswith("postgresql://") and settings.tracker_store_url.endswith("/clair_tracker")
    assert settings.lock_store_url == "redis://127.0.0.1:6379/0"
    assert settings.endpoints_file.name == "endpoints.production.yml" and settings.endpoints_file.is_file()
    env = settings.rasa_environment()
    assert (env["CLAIR_PROFILE"], env["LOCK_STORE_URL"], env["LOCK_STORE_PREFIX"]) == (
        "production", "redis://127.0.0.1:6379/0", "clair")


def test_a_cluster_points_the_production_profile_at_its_own_servers(monkeypatch):
    _without_store_settings(monkeypatch)
    monkeypatch.setenv("CLAIR_PROFILE", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db.internal/clair")
    monkeypatch.setenv("LOCK_STORE_URL", "redis://locks.internal:6379/2")
    settings = load_settings()
    assert settings.database_url == "postgresql://app@db.internal/clair"
    assert settings.rasa_environment()["LOCK_STORE_URL"] == "redis://locks.internal:6379/2"



# --- each default stated once: the Settings field; load_settings and the README follow it ---------
def _field_defaults():
    return {f.name: f.default for f in fields(Settings) if f.default is not MISSING}


def test_without_variables_every_setting_is_its_fields_default():
    with mock.patch.dict(os.environ, {}, clear=True):
        settings = load_settings()
    defaults = _field_defaults()
    assert len(defaults) > 20
    assert {name: getattr(settings, name) for name in defaults} == defaults


def _readme_settings_rows():
    """{variable: default cell} of the README's settings table (a row may name several variables)."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Settings (environment variables)", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            for variable in re.findall(r"`([A-Z_]+)`", cells[0]):
                rows[variable] = cells[1]
    return rows


def _as_written(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Path):
        return value.relative_to(PROJECT_ROOT).as_posix()
    return str(value)


def test_the_readme_table_gives_the_settings_defaults():
    rows = _readme_settings_rows()
    stated = {"DATABASE_URL": PRODUCTION_DATABASE_URL, "TRACKER_STORE_URL": PRODUCTION_TRACKER_STORE_URL,
              "LOCK_STORE_URL": PRODUCTION_LOCK_STORE_URL}
    variables = {"profile": "CLAIR_PROFILE"}  # the one field not named after its variable
    for name, value in _field_defaults().items():
        variable = variables.get(name, name.upper())
        if variable in rows and value not in ("", ()):  # an empty default is written "unset"
            stated[variable] = _as_written(value)
    assert len(stated) >= 15
    for variable, value in stated.items():
        assert f"`{value}`" in rows[variable] or f'"{value}"' in rows[variable], (variable, value, rows[variable])
