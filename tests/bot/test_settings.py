from pathlib import Path

from bot.settings import load_settings


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


def test_a_malformed_number_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("RASA_PORT", "five")
    try:
        load_settings()
    except SystemExit as exit:
        assert "RASA_PORT must be a whole number" in str(exit)
    else:
        raise AssertionError("a malformed port was accepted")
