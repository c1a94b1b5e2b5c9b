"""Serves a trained model the way `make run` does (bot.services Supervisor: action server, then
the Rasa server with our REST/socket.io channels), on free loopback ports with a var dir of its own,
and times start-up until the first knowledge question is answered."""
from __future__ import annotations

import asyncio
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from bot.bench.load import Reply, single
from bot.services import Supervisor, assistant_services
from bot.settings import Settings, load_settings

# The notifier is not needed to answer (it e-mails staff about inquiries).
ANSWERING_SERVICES = ("action server", "Rasa server")
START_TIMEOUT_SECONDS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_settings(var_dir: Path, database_url: str) -> Settings:
    """The default profile users run (SQLite tracker store in the var dir, in-memory lock store)."""
    return replace(load_settings(), var_dir=var_dir, profile="embedded", database_url=database_url,
                   tracker_store_url=f"sqlite:///{var_dir / 'tracker.db'}", lock_store_url="",
                   rasa_host="127.0.0.1", action_host="127.0.0.1",
                   rasa_port=free_port(), action_port=free_port(), rasa_api_token="")


@dataclass
class Served:
    settings: Settings
    supervisor: Supervisor
    startup_seconds: float  # launch of the action server until the first answer was read
    first_reply: Reply

    def pid(self, service_name: str) -> int:
        return next(s.process.pid for s in self.supervisor.services if s.name == service_name and s.process)


@contextmanager
def serve(model: Path, settings: Settings, first_question: str) -> Iterator[Served]:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    services = [s for s in assistant_services(settings, model) if s.name in ANSWERING_SERVICES]
    started = time.perf_counter()
    with Supervisor(services, settings, start_timeout=START_TIMEOUT_SECONDS) as supervisor:
        reply = _first_answer(settings.rasa_url, first_question, started + START_TIMEOUT_SECONDS)
        yield Served(settings, supervisor, time.perf_counter() - started, reply)


def _first_answer(rasa_url: str, question: str, deadline: float) -> Reply:
    while True:
        reply = asyncio.run(single(rasa_url, question))
        if reply.answered:
            return reply
        if time.perf_counter() > deadline:
            raise RuntimeError(f"The assistant gave no answer in time: {reply}")
        time.sleep(0.1)
