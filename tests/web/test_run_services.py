"""What `make run` starts for the web chat: the order, Rasa's CORS for the page, and one clear
sentence when the web app's port is taken."""
from dataclasses import replace
from pathlib import Path

import pytest

from bot.services import AlreadyRunning, Supervisor, assistant_services, web_app_service
from bot.settings import load_settings


def test_make_run_starts_the_web_app_after_the_rasa_server_and_rasa_allows_its_origin():
    settings = replace(load_settings(), web_host="127.0.0.1", web_port=8123, cors_origins=())
    services = assistant_services(settings, Path("model.tar.gz"), web_app=True)
    assert [s.name for s in services] == ["action server", "Rasa server", "web app", "notifier"]
    rasa = services[1].command
    cors = rasa[rasa.index("--cors") + 1:]
    assert cors == ["http://localhost:8123", "http://127.0.0.1:8123"]
    assert services[2].health_url == "http://127.0.0.1:8123/health"
    assert services[2].command[-4:] == ["--host", "127.0.0.1", "--port", "8123"]


def test_cors_origins_can_be_set_for_a_public_deployment(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "https://www.example.org, https://example.org")
    assert load_settings().rasa_cors_origins == ("https://www.example.org", "https://example.org")


def test_the_rest_level_tests_start_no_web_app():
    assert "web app" not in [s.name for s in assistant_services(load_settings(), Path("m"))]


@pytest.mark.e2e
def test_a_second_run_while_the_web_app_runs_says_so(web_assistant, web_settings):
    again = web_app_service(web_settings)
    with pytest.raises(AlreadyRunning, match=rf"running already \(web app port {web_settings.web_port} in use\)"):
        with Supervisor([again], web_settings):
            pass
    assert again.process is None
