"""The production profile on loopback, for tests: N Rasa servers and K action servers behind nginx,
on PostgreSQL databases and a Redis key prefix of the test's own, all removed afterwards.

    with ProductionCluster(tmp_dir, rasa_servers=2, action_servers=2) as cluster:
        cluster.chat.say("visitor", "Which sister cities does Fukuoka have?")

nginx balances round robin with no stickiness: the Rasa servers at `cluster.url` (REST and
socket.io), and the action servers at the URL the Rasa servers call (ACTION_ENDPOINT_URL).
"""
from __future__ import annotations

import getpass
import json
import os
import signal
import uuid
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import redis
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from bot.database import make_engine
from bot.preflight import store_problems
from bot.prepare import prepare
from bot.services import Service, Supervisor, assistant_services
from bot.settings import PRODUCTION_DATABASE_URL, PRODUCTION_LOCK_STORE_URL, Settings, load_settings
from tests.servers import Chat, free_port

NGINX = "/usr/sbin/nginx"


class ProductionCluster:
    def __init__(self, tmp_dir: Path, *, rasa_servers: int = 1, action_servers: int = 1):
        self.tmp_dir = Path(tmp_dir)
        self.rasa_count = rasa_servers
        self.action_count = action_servers
        self.name = f"clair_test_{uuid.uuid4().hex[:12]}"  # fixed length: no name prefixes another
        self._stack = ExitStack()

    # --- start and stop -------------------------------------------------------------------------
    def __enter__(self) -> "ProductionCluster":
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()  # in reverse: processes, engines, Redis keys, databases

    def _start(self) -> None:
        server = make_url(PRODUCTION_DATABASE_URL)
        database_url = str(server.set(database=self.name))
        tracker_store_url = str(server.set(database=f"{self.name}_tracker"))
        for url in (database_url, tracker_store_url):  # prepare() creates them; dropped here
            self._stack.callback(drop_database, url)
        self.lock_store_prefix = self.name.replace("_", "")  # Rasa wants an alphanumeric prefix
        self.redis = redis.Redis.from_url(PRODUCTION_LOCK_STORE_URL)
        self._stack.callback(self.redis.close)
        self._stack.callback(self._delete_lock_keys)

        # The settings every process reads: Rasa's URL and the action endpoint are nginx's.
        self.settings: Settings = replace(
            load_settings(), profile="production", var_dir=self.tmp_dir / "var",
            database_url=database_url, tracker_store_url=tracker_store_url,
            lock_store_url=PRODUCTION_LOCK_STORE_URL, lock_store_prefix=self.lock_store_prefix,
            rasa_port=free_port(), action_port=free_port(), rasa_api_token="",
        )
        missing = store_problems(self.settings) + ([] if os.access(NGINX, os.X_OK) else [
            f"{NGINX} is missing: scripts/setup-web.sh --browser (run by make test) installs Debian's nginx"])
        if missing:
            raise RuntimeError("The production tests cannot run here. " + " ".join(missing))
        model = prepare(self.settings)  # databases, knowledge base, model (cached by fingerprint)
        self.app_engine = make_engine(database_url)
        self.tracker_engine = make_engine(tracker_store_url)
        self._stack.callback(self.app_engine.dispose)
        self._stack.callback(self.tracker_engine.dispose)

        self.action_servers = [self._one_of(model, "action server", i, action_port=free_port())
                               for i in range(1, self.action_count + 1)]
        self.rasa_servers = [self._one_of(model, "Rasa server", i, rasa_port=free_port())
                             for i in range(1, self.rasa_count + 1)]
        self.nginx = self._nginx_service()
        self.notifier = next(s for s in assistant_services(self.settings, model) if s.name == "notifier")
        services = [*self.action_servers, *self.rasa_servers, self.nginx, self.notifier]
        self.supervisor = self._stack.enter_context(Supervisor(services, self.settings))
        self.chat = Chat(self.url)

    def _one_of(self, model: Path, name: str, number: int, **ports) -> Service:
        """The launcher's own service `name`, on its own port, numbered (logs: <name>-<n>.log)."""
        service = next(s for s in assistant_services(replace(self.settings, **ports), model) if s.name == name)
        return replace(service, name=f"{name} {number}")

    def _nginx_service(self) -> Service:
        root = self.tmp_dir / "nginx"
        root.mkdir(parents=True, exist_ok=True)
        config = root / "nginx.conf"
        config.write_text(nginx_config(
            root, self.settings.rasa_port, self.settings.action_port,
            rasa=[s.port for s in self.rasa_servers], actions=[s.port for s in self.action_servers]))
        command = [NGINX, "-e", str(root / "error.log"), "-p", str(root), "-c", str(config)]
        return Service("nginx", command, f"{self.url}/", "127.0.0.1", self.settings.rasa_port)

    # --- what tests use -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The load balancer in front of the Rasa servers."""
        return self.settings.rasa_url

    @property
    def action_url(self) -> str:
        """The load balancer in front of the action servers (the Rasa servers' action endpoint)."""
        return self.settings.action_endpoint_url

    def balanced_requests(self) -> list[dict]:
        """What nginx has logged so far: for each request when it ended (Unix time), the port it
        came in on (`url`'s or `action_url`'s), the server(s) it went to ("127.0.0.1:port",
        comma-separated when retried on another), the status and the body
        (when nginx kept it in memory, as it does for REST messages)."""
        log = self.tmp_dir / "nginx" / "access.log"
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    def lock_keys(self) -> list[bytes]:
        return list(self.redis.scan_iter(match=f"{self.lock_store_prefix}*"))

    def kill(self, service: Service) -> None:
        """Kills one process at once (SIGKILL, no clean shutdown), as a crash would."""
        os.killpg(service.process.pid, signal.SIGKILL)
        service.process.wait()

    def restart(self, service: Service) -> None:
        """Starts a killed service again on its port and waits until it is healthy. A one-service
        Supervisor starts it with the launcher's checks; the cluster's supervisor still stops it."""
        Supervisor([service], self.settings).__enter__()

    def _delete_lock_keys(self) -> None:
        keys = self.lock_keys()
        if keys:
            self.redis.delete(*keys)


def nginx_config(root: Path, rasa_port: int, action_port: int, *, rasa: list[int], actions: list[int]) -> str:
    """nginx in the foreground with every path in `root`: round robin over the Rasa servers (REST,
    socket.io with websocket upgrades) and over the action servers. (socket.io's long-polling
    fallback would need a sticky server, as deploy/nginx.conf gives it; the tests speak REST.)"""
    # As root, nginx would run its workers as nobody, who cannot enter a private temporary folder.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    servers = lambda ports: "".join(f"server 127.0.0.1:{port};" for port in ports)  # noqa: E731
    temp = " ".join(f"{kind}_temp_path {root / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
daemon off;
{user}
worker_processes 1;
pid {root / 'nginx.pid'};
error_log {root / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    # One JSON line per request: which server nginx chose, and the body (REST: sender and text).
    log_format balanced escape=json
        '{{"time": $msec, "port": $server_port, "upstream": "$upstream_addr", '
        '"status": "$status", "body": "$request_body"}}';
    access_log {root / 'access.log'} balanced;
    {temp}
    upstream rasa {{ {servers(rasa)} }}
    upstream actions {{ {servers(actions)} }}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    proxy_http_version 1.1;
    proxy_read_timeout 120s;
    server {{
        listen 127.0.0.1:{rasa_port};
        location / {{
            proxy_pass http://rasa;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
    }}
    server {{
        listen 127.0.0.1:{action_port};
        location / {{ proxy_pass http://actions; }}
    }}
}}
"""


def drop_database(url: str) -> None:
    """Drops the database named in `url`, ending its open connections first."""
    parsed = make_url(url)
    server: Engine = make_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            quoted = server.dialect.identifier_preparer.quote(parsed.database)
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
    finally:
        server.dispose()
