"""Every run-time setting, read from the environment with embedded defaults.

This is the one place defaults live: each is stated once, as the default of its Settings field
(or, when it depends on the var dir or the profile, in load_settings). The launcher passes them on
to Rasa (endpoints.yml reads them as ${VARIABLES}) and to the action server; the README's table
repeats them for readers.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.staff_matcher import THRESHOLD as STAFF_ANSWER_THRESHOLD

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Rasa's telemetry would try to reach the internet (and report errors there); ours stays local.
RASA_OFFLINE_ENVIRONMENT = {"RASA_TELEMETRY_ENABLED": "false"}


class SettingsError(ValueError):
    """A setting in the environment has a value it cannot have; the message says which and why."""


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name, "true" if default else "false").lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}.")


def _env_fraction(name: str, default: float) -> float:
    raw = _env(name, str(default))
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise SettingsError(f"{name} must be a number from 0 to 1, not {raw!r}.")
    return value


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())


PROFILES = ("embedded", "production")

# The production profile's defaults: the local PostgreSQL and Redis of a single machine. A
# cluster sets DATABASE_URL, TRACKER_STORE_URL and LOCK_STORE_URL to its own servers.
PRODUCTION_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/clair"
PRODUCTION_TRACKER_STORE_URL = "postgresql://postgres@127.0.0.1:5432/clair_tracker"
PRODUCTION_LOCK_STORE_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Settings:
    # Defaults that depend on the var dir or the profile: load_settings states them.
    var_dir: Path
    database_url: str
    tracker_store_url: str
    models_dir: Path
    # Every other field's default is the setting's default (load_settings reads the variable with it).
    knowledge_dir: Path = PROJECT_ROOT / "knowledge" / "data"
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_host: str = "127.0.0.1"
    action_port: int = 5055
    rasa_api_token: str = ""  # empty: Rasa's HTTP API stays off
    max_message_chars: int = 1000  # longer messages get a polite refusal before NLU
    # How close a question must be to a staff answer's wordings for it to be served (its measurement:
    # docs/benchmarks.md); a question a page gap catches gets the answer staff wrote for that gap.
    staff_answer_threshold: float = STAFF_ANSWER_THRESHOLD
    # Staff e-mail notifications of inquiries (bot/inquiries/notify.py). No SMTP_HOST:
    # nothing is sent; notifications wait in the database outbox.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)  # never printed with the settings
    smtp_starttls: bool = True
    smtp_from: str = "clair-assistant@localhost"
    staff_emails: tuple[str, ...] = ()
    # What the assistant promises about a reply; CLAIR decides, so it is a setting, not a fact.
    staff_reply_time: str = "as soon as they can, during Singapore office hours"
    # Staff console (bot/web/staff): sign-in sessions, login rate limits, cookies.
    staff_session_idle_minutes: int = 30  # signed out after this long without a request
    staff_session_max_hours: int = 12  # and after this long in any case
    staff_login_max_failures: int = 5  # failed sign-ins per account within the window...
    staff_login_max_failures_per_address: int = 20  # ...and per client address
    staff_login_window_minutes: int = 15
    staff_secure_cookies: bool = False  # Secure cookies even when the app sees plain HTTP (TLS proxy)
    staff_secret_key: str = field(default="", repr=False)  # empty: a random key kept in var/
    staff_timezone: str = "Asia/Singapore"  # the console shows times and reads date filters in this zone
    # The web app (`python -m bot web`): the public chat page at / and the staff console at /staff/.
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    # Addresses of the reverse proxies in front of the web app (e.g. a load balancer terminating
    # TLS). Only from these are X-Forwarded-For/-Proto believed: the console then sees the browser's
    # https origin and rate-limits sign-ins per visitor, not per proxy. Empty: no proxy trusted.
    web_trusted_proxies: tuple[str, ...] = ()
    # Where visitors' browsers reach the Rasa server (its socket.io channel), when not rasa_url:
    # e.g. https://chat.example.org behind a reverse proxy.
    rasa_public_url: str = ""
    # Origins the Rasa server's CORS allows; empty: the web app's own (see rasa_cors_origins).
    cors_origins: tuple[str, ...] = ()
    # "embedded": SQLite files in var/ and an in-process lock store (one Rasa server).
    # "production": PostgreSQL and a Redis lock store, safe for several Rasa servers.
    profile: str = "embedded"
    lock_store_url: str = ""  # production only: where the conversation locks live
    lock_store_prefix: str = "clair"  # keeps the locks' Redis keys apart (tests use their own)

    @property
    def endpoints_file(self) -> Path:
        """Rasa's endpoints for the profile: the lock store is the one difference."""
        name = "endpoints.yml" if self.profile == "embedded" else "endpoints.production.yml"
        return PROJECT_ROOT / name

    @property
    def action_endpoint_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}/webhook"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://{self.web_host}:{self.web_port}"

    @property
    def browser_rasa_url(self) -> str:
        """The Rasa server's URL as the chat page's browsers see it."""
        return (self.rasa_public_url or self.rasa_url).rstrip("/")

    @property
    def rasa_cors_origins(self) -> tuple[str, ...]:
        """CORS_ORIGINS, or the chat page's own origin (on loopback: as localhost and 127.0.0.1)."""
        if self.cors_origins:
            return self.cors_origins
        loopback = ("127.0.0.1", "localhost", "0.0.0.0")
        hosts = ("localhost", "127.0.0.1") if self.web_host in loopback else (self.web_host,)
        return tuple(f"http://{host}:{self.web_port}" for host in hosts)

    @property
    def log_dir(self) -> Path:
        return self.var_dir / "log"

    @property
    def spacy_model_dir(self) -> Path:
        # Fixed, project-relative: config.yml names this path for Rasa's SpacyNLP.
        return PROJECT_ROOT / "var" / "spacy" / "en_clair"

    def rasa_environment(self) -> dict[str, str]:
        """Variables that endpoints.yml and the action server read."""
        return {
            **RASA_OFFLINE_ENVIRONMENT,
            "ACTION_ENDPOINT_URL": self.action_endpoint_url,
            "TRACKER_STORE_URL": self.tracker_store_url,
            "LOCK_STORE_URL": self.lock_store_url,
            "LOCK_STORE_PREFIX": self.lock_store_prefix,
            "CLAIR_PROFILE": self.profile,
            "DATABASE_URL": self.database_url,
            "MAX_MESSAGE_CHARS": str(self.max_message_chars),
            "STAFF_ANSWER_THRESHOLD": str(self.staff_answer_threshold),
            "SANIC_HOST": self.action_host,  # rasa-sdk binds the action server to this
            # The web app (python -m bot web) serves the page that connects to the Rasa server.
            "RASA_HOST": self.rasa_host,
            "RASA_PORT": str(self.rasa_port),
            "WEB_HOST": self.web_host,
            "WEB_PORT": str(self.web_port),
            "CLAIR_VAR_DIR": str(self.var_dir),  # e.g. the staff console's key file, next to the logs
        }


def _profile() -> str:
    profile = _env("CLAIR_PROFILE", Settings.profile).lower()
    if profile not in PROFILES:
        raise SettingsError(f"CLAIR_PROFILE must be one of {', '.join(PROFILES)}, not {profile!r}.")
    return profile


def load_settings() -> Settings:
    var_dir = Path(_env("CLAIR_VAR_DIR", str(PROJECT_ROOT / "var"))).resolve()
    profile = _profile()
    production = profile == "production"
    return Settings(
        var_dir=var_dir,
        profile=profile,
        database_url=_env("DATABASE_URL", PRODUCTION_DATABASE_URL if production else f"sqlite:///{var_dir / 'clair.db'}"),
        tracker_store_url=_env("TRACKER_STORE_URL", PRODUCTION_TRACKER_STORE_URL if production
                               else f"sqlite:///{var_dir / 'tracker.db'}"),
        lock_store_url=_env("LOCK_STORE_URL", PRODUCTION_LOCK_STORE_URL) if production else "",
        lock_store_prefix=_env("LOCK_STORE_PREFIX", Settings.lock_store_prefix),
        knowledge_dir=Path(_env("KNOWLEDGE_DIR", str(Settings.knowledge_dir))),
        models_dir=Path(_env("MODELS_DIR", str(var_dir / "models"))),
        rasa_host=_env("RASA_HOST", Settings.rasa_host),
        rasa_port=_env_int("RASA_PORT", Settings.rasa_port),
        action_host=_env("ACTION_HOST", Settings.action_host),
        action_port=_env_int("ACTION_PORT", Settings.action_port),
        rasa_api_token=os.environ.get("RASA_API_TOKEN", Settings.rasa_api_token),
        max_message_chars=_env_int("MAX_MESSAGE_CHARS", Settings.max_message_chars),
        staff_answer_threshold=_env_fraction("STAFF_ANSWER_THRESHOLD", Settings.staff_answer_threshold),
        smtp_host=_env("SMTP_HOST", Settings.smtp_host),
        smtp_port=_env_int("SMTP_PORT", Settings.smtp_port),
        smtp_user=_env("SMTP_USER", Settings.smtp_user),
        smtp_password=os.environ.get("SMTP_PASSWORD", Settings.smtp_password),
        smtp_starttls=_env_bool("SMTP_STARTTLS", Settings.smtp_starttls),
        # Without SMTP_FROM the login name is the natural sender; else a local placeholder.
        smtp_from=_env("SMTP_FROM", _env("SMTP_USER", Settings.smtp_from)),
        staff_emails=_env_list("STAFF_EMAILS"),
        staff_reply_time=_env("STAFF_REPLY_TIME", Settings.staff_reply_time),
        staff_session_idle_minutes=_env_int("STAFF_SESSION_IDLE_MINUTES", Settings.staff_session_idle_minutes),
        staff_session_max_hours=_env_int("STAFF_SESSION_MAX_HOURS", Settings.staff_session_max_hours),
        staff_login_max_failures=_env_int("STAFF_LOGIN_MAX_FAILURES", Settings.staff_login_max_failures),
        staff_login_max_failures_per_address=_env_int("STAFF_LOGIN_MAX_FAILURES_PER_ADDRESS",
                                                      Settings.staff_login_max_failures_per_address),
        staff_login_window_minutes=_env_int("STAFF_LOGIN_WINDOW_MINUTES", Settings.staff_login_window_minutes),
        staff_secure_cookies=_env_bool("STAFF_SECURE_COOKIES", Settings.staff_secure_cookies),
        staff_secret_key=os.environ.get("STAFF_SECRET_KEY", Settings.staff_secret_key),
        staff_timezone=_env("STAFF_TIMEZONE", Settings.staff_timezone),
        web_host=_env("WEB_HOST", Settings.web_host),
        web_port=_env_int("WEB_PORT", Settings.web_port),
        web_trusted_proxies=_env_list("WEB_TRUSTED_PROXIES"),
        rasa_public_url=_env("RASA_PUBLIC_URL", Settings.rasa_public_url),
        cors_origins=_env_list("CORS_ORIGINS"),
    )
