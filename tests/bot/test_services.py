"""The supervisor that `make run` uses: health-checked start, refusal on busy ports, clean stop."""
import os
import signal
import socket
import sys
from dataclasses import replace

import pytest

from bot.services import AlreadyRunning, Service, Supervisor
from bot.settings import load_settings


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_service(name, port, directory):
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)]
    return Service(name, command, f"http://127.0.0.1:{port}/", "127.0.0.1", port)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def settings(tmp_path):
    return replace(load_settings(), var_dir=tmp_path)


def test_services_start_healthy_and_all_stop_on_exit(settings, tmp_path):
    services = [http_service("first", free_port(), tmp_path), http_service("second", free_port(), tmp_path)]
    with Supervisor(services, settings):
        pids = [s.process.pid for s in services]
        assert all(alive(pid) for pid in pids)
    for service in services:
        assert service.process.poll() is not None, f"{service.name} still running"
    assert (settings.log_dir / "first.log").exists()


def test_a_second_run_on_busy_ports_says_so_and_starts_nothing(settings, tmp_path):
    port = free_port()
    with Supervisor([http_service("first", port, tmp_path)], settings):
        again = http_service("first", port, tmp_path)
        with pytest.raises(AlreadyRunning, match="seems to be running already"):
            with Supervisor([again], settings):
                pass
        assert again.process is None


def test_when_one_service_dies_wait_names_it(settings, tmp_path):
    services = [http_service("steady", free_port(), tmp_path), http_service("fragile", free_port(), tmp_path)]
    with Supervisor(services, settings) as supervisor:
        services[1].process.kill()
        assert supervisor.wait() == "fragile"
    assert services[0].process.poll() is not None


def test_a_service_that_exits_during_start_up_stops_the_others(settings, tmp_path):
    good = http_service("good", free_port(), tmp_path)
    broken = Service("broken", [sys.executable, "-c", "raise SystemExit(3)"], "http://127.0.0.1:9/", "127.0.0.1", free_port())
    with pytest.raises(RuntimeError, match="broken exited during start-up"):
        with Supervisor([good, broken], settings):
            pass
    assert good.process.poll() is not None


def test_a_worker_without_health_url_counts_as_started_once_it_stays_up(settings):
    worker = Service("worker", [sys.executable, "-c", "import time; time.sleep(60)"])
    with Supervisor([worker], settings):
        assert worker.process.poll() is None
    assert worker.process.poll() is not None


def test_a_worker_that_exits_at_once_fails_the_start(settings):
    worker = Service("worker", [sys.executable, "-c", "raise SystemExit(2)"])
    with pytest.raises(RuntimeError, match="worker exited during start-up"):
        with Supervisor([worker], settings):
            pass


SUPERVISED_SCRIPT = """
import os, signal, sys, time
from dataclasses import replace
from pathlib import Path
from bot.services import Service, Supervisor
from bot.settings import load_settings

def interrupt(*_):
    raise KeyboardInterrupt

signal.signal(signal.SIGTERM, interrupt)
settings = replace(load_settings(), var_dir=Path(sys.argv[1]))
# A child that takes a while to stop, so a second signal arrives in the middle of shutdown.
slow = [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1.5), exit(0))); time.sleep(60)"]
services = [Service("first", slow), Service("second", slow)]
try:
    with Supervisor(services, settings) as supervisor:
        Path(sys.argv[2]).write_text(" ".join(str(s.process.pid) for s in services))
        supervisor.wait()
except KeyboardInterrupt:
    pass
"""


def test_a_second_interrupt_during_shutdown_still_stops_every_child(tmp_path):
    import subprocess
    import time

    from bot.settings import PROJECT_ROOT

    pids_file = tmp_path / "pids"
    runner = subprocess.Popen([sys.executable, "-c", SUPERVISED_SCRIPT, str(tmp_path), str(pids_file)], cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 60
    while not pids_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    pids = [int(p) for p in pids_file.read_text().split()]
    runner.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    runner.send_signal(signal.SIGTERM)  # impatient second Ctrl-C / SIGTERM while children stop
    runner.wait(timeout=60)
    time.sleep(0.5)
    assert [pid for pid in pids if alive(pid)] == []
