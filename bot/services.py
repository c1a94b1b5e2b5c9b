"""Starts the assistant's processes, waits until each answers its health check, and stops all of
them together: on Ctrl-C, on SIGTERM, or as soon as one of them dies (no orphans left behind)."""
from __future__ import annotations

import logging
import os
import signal
import threading
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str | None = None  # None: a background worker; "healthy" once it has stayed up
    host: str | None = None
    port: int | None = None
    process: subprocess.Popen | None = None


WORKER_SETTLE_SECONDS = 2


class AlreadyRunning(RuntimeError):
    @classmethod
    def about(cls, busy: list["Service"]) -> str:
        names = ", ".join(f"{s.name} port {s.port}" for s in busy)
        return (f"The assistant seems to be running already ({names} in use): stop it first, "
                "or choose other ports (see README).")


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def web_app_service(settings: Settings) -> Service:
    """The web app: the public chat page at / and the staff console at /staff/."""
    command = [sys.executable, "-m", "bot", "web", "--host", settings.web_host, "--port", str(settings.web_port)]
    return Service("web app", command, f"{settings.web_url}/health", settings.web_host, settings.web_port)


def assistant_services(settings: Settings, model: Path, *, web_app: bool = False) -> list[Service]:
    """The servers in start order. `make run` asks for the web app too (web_app=True); the
    REST-level tests leave it out, so they need no web port."""
    python = sys.executable
    rasa_command = [
        python, "-m", "rasa", "run",
        "--model", str(model),
        "--endpoints", str(settings.endpoints_file),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        "--interface", settings.rasa_host,
        "--port", str(settings.rasa_port),
    ]
    if settings.rasa_api_token:  # Rasa's HTTP API stays off unless a token protects it
        rasa_command += ["--enable-api", "--auth-token", settings.rasa_api_token]
    # The chat page (another origin: the web app's port) talks to the socket.io channel.
    rasa_command += ["--cors", *settings.rasa_cors_origins]
    services = [
        Service(
            "action server",
            [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)],
            f"http://{settings.action_host}:{settings.action_port}/health",
            settings.action_host,
            settings.action_port,
        ),
        Service("Rasa server", rasa_command, f"{settings.rasa_url}/", settings.rasa_host, settings.rasa_port),
        Service("notifier", [python, "-m", "bot", "notifier"]),  # e-mails staff about new inquiries
    ]
    if web_app:  # after the Rasa server it connects visitors to
        services.insert(2, web_app_service(settings))
    return services


class Supervisor:
    """Owns a set of services for the lifetime of a `with` block."""

    def __init__(self, services: list[Service], settings: Settings, start_timeout: float = 180):
        self.services = services
        self.settings = settings
        self.start_timeout = start_timeout

    def __enter__(self) -> "Supervisor":
        busy = ports_in_use(self.services)
        if busy:
            raise AlreadyRunning(AlreadyRunning.about(busy))
        self.settings.log_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.settings.rasa_environment()}
        try:
            for service in self.services:
                self._start(service, env)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _start(self, service: Service, env: dict[str, str]) -> None:
        log_path = self.settings.log_dir / f"{service.name.lower().replace(' ', '-')}.log"
        log.info(f"Starting the {service.name} (log: {log_path})...")
        with open(log_path, "ab") as service_log:
            service.process = subprocess.Popen(
                service.command, cwd=PROJECT_ROOT, env=env, stdout=service_log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so stopping reaches its children
            )
        deadline = time.monotonic() + (self.start_timeout if service.health_url else WORKER_SETTLE_SECONDS)
        while not (healthy(service.health_url) if service.health_url else time.monotonic() > deadline):
            if service.process.poll() is not None:
                raise RuntimeError(f"The {service.name} exited during start-up; see {log_path}.")
            if service.health_url and time.monotonic() > deadline:
                raise RuntimeError(f"The {service.name} did not become healthy in time; see {log_path}.")
            time.sleep(0.5)

    def wait(self) -> str:
        """Blocks until a service dies; returns its name."""
        while True:
            for service in self.services:
                if service.process and service.process.poll() is not None:
                    return service.name
            time.sleep(0.5)

    def stop(self) -> None:
        # A second Ctrl-C (or SIGTERM) during shutdown must not cut it short and orphan children.
        with _signals_ignored():
            self._stop_all()

    def _stop_all(self) -> None:
        running = [s.process for s in self.services if s.process and s.process.poll() is None]
        for process in reversed(running):
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


@contextmanager
def _signals_ignored():
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handlers; it is the one that stops on Ctrl-C
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def ports_in_use(services: list[Service]) -> list[Service]:
    return [s for s in services if s.port and port_in_use(s.host or "127.0.0.1", s.port)]


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
