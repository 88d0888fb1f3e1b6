"""Typed, immutable configuration read from the environment.

Every setting has one name, one type and one default. `Config.from_env()` is the only
place that reads `os.environ`; tests build a `Config` directly with `replace()`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Data files shipped with the package: catalogue, demo data, fonts, holiday calendars.
DATA_DIR = PROJECT_ROOT / "workflow_app" / "data"
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    return int(value)


def _secret_key(instance_dir: Path) -> str:
    """Use SECRET_KEY, or a random key kept in the instance folder (embedded set-up only)."""
    env = os.environ.get("SECRET_KEY")
    if env:
        return env
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _hosts(raw: str) -> tuple[str, ...]:
    return tuple(h.strip().lower() for h in raw.split(",") if h.strip())


@dataclass(frozen=True)
class Config:
    secret_key: str
    database_url: str
    instance_dir: Path = DEFAULT_INSTANCE
    testing: bool = False
    # Session cookies: Secure by default; only a plain-HTTP demo on localhost turns it off.
    cookie_secure: bool = True
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    # Login throttling (stored in the database so it holds across workers).
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 20
    login_window_minutes: int = 15
    max_content_length: int = 20 * 1024 * 1024
    # SQLite only: how long a write waits for another writer's lock (BEGIN IMMEDIATE) before
    # the request is answered 503 "busy, try again" with Retry-After.
    sqlite_busy_timeout_ms: int = 15_000
    default_locale: str = "vi"
    # Outgoing mail (used by the notification outbox).
    mail_host: str = "127.0.0.1"
    mail_port: int = 25
    mail_sender: str = "khenthuong@localhost"
    # Send a request's e-mail right after it commits (short SMTP timeout). Off when a worker
    # (`flask worker run`) sends the outbox: then no request waits on SMTP.
    send_mail_in_request: bool = True
    # The address people use to reach the app (e.g. https://tdkt.moj.gov.vn): e-mailed links are
    # made absolute with it. Empty: links stay relative paths (the app cannot guess its own host
    # behind a proxy, and a wrong guess would send people to the wrong server).
    public_base_url: str = ""
    # Roles that must use two-factor sign-in.
    totp_required_roles: tuple[str, ...] = ("admin", "chair", "signer")
    # Ed25519 private key (PEM) for signed audit checkpoints; empty means none configured.
    audit_signing_key_path: str = ""
    # JSON API (/api/v1): requests per token (or per signed-in user) and where the counters
    # live. "memory://" counts per process; several workers must share e.g. "redis://host:6379".
    api_rate_limit: str = "300 per minute"
    ratelimit_storage_uri: str = "memory://"
    # Prometheus metrics at /metrics for a scraper sending `Authorization: Bearer <token>`;
    # empty: /metrics answers 404 (off).
    metrics_token: str = ""
    # Longest lifetime of a personal access token, in days.
    api_token_max_days: int = 365
    # The only hosts the application may call (webhooks, certificate revocation checks), as
    # "host" or "host:port"; empty: the application calls nowhere. Set by the administrator
    # (OUTBOUND_ALLOWED_HOSTS, comma-separated). Checked by workflow_app/outbound.py.
    outbound_allowed_hosts: tuple[str, ...] = ()
    # /ready also answers 503 while no worker (`flask worker run`) has beaten within 5 minutes
    # (READY_REQUIRES_WORKER). Off by default: a deployment on cron has no worker to wait for.
    ready_requires_worker: bool = False
    # Server-side signing with the agency's own certificate (an organisation seal certificate):
    # the key as PKCS#12 (.p12/.pfx) or PEM, the certificate (PEM, with its chain) when the key
    # is PEM, the key's passphrase; empty: the option is off. Where the visible stamp goes:
    # "page,x1,y1,x2,y2" in PDF points from the bottom-left (page -1: the last) — configurable,
    # no confirmed legal source for its place (see README).
    agency_signing_key: str = ""
    agency_signing_cert: str = ""
    agency_signing_passphrase: str = ""
    agency_stamp_box: str = "-1,300,60,560,140"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> Config:
        instance_dir = Path(os.environ.get("WORKFLOW_INSTANCE_DIR", DEFAULT_INSTANCE))
        default_db = f"sqlite:///{instance_dir / 'workflow.db'}"
        config = cls(
            secret_key=_secret_key(instance_dir),
            database_url=os.environ.get("DATABASE_URL", default_db),
            instance_dir=instance_dir,
            cookie_secure=_bool(os.environ.get("SESSION_COOKIE_SECURE"), True),
            session_idle_minutes=_int(os.environ.get("SESSION_IDLE_MINUTES"), 30),
            session_absolute_hours=_int(os.environ.get("SESSION_ABSOLUTE_HOURS"), 12),
            max_content_length=_int(os.environ.get("MAX_CONTENT_LENGTH"), 20 * 1024 * 1024),
            sqlite_busy_timeout_ms=_int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS"), 15_000),
            mail_host=os.environ.get("MAIL_HOST", "127.0.0.1"),
            mail_port=_int(os.environ.get("MAIL_PORT"), 25),
            mail_sender=os.environ.get("MAIL_SENDER", "khenthuong@localhost"),
            send_mail_in_request=_bool(os.environ.get("SEND_MAIL_IN_REQUEST"), True),
            public_base_url=os.environ.get("PUBLIC_BASE_URL", "").rstrip("/"),
            audit_signing_key_path=os.environ.get("AUDIT_SIGNING_KEY", ""),
            api_rate_limit=os.environ.get("API_RATE_LIMIT") or "300 per minute",
            ratelimit_storage_uri=os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
            metrics_token=os.environ.get("METRICS_TOKEN", ""),
            outbound_allowed_hosts=_hosts(os.environ.get("OUTBOUND_ALLOWED_HOSTS", "")),
            ready_requires_worker=_bool(os.environ.get("READY_REQUIRES_WORKER"), False),
            agency_signing_key=os.environ.get("AGENCY_SIGNING_KEY", ""),
            agency_signing_cert=os.environ.get("AGENCY_SIGNING_CERT", ""),
            agency_signing_passphrase=os.environ.get("AGENCY_SIGNING_PASSPHRASE", ""),
            agency_stamp_box=os.environ.get("AGENCY_STAMP_BOX") or "-1,300,60,560,140",
        )
        return replace(config, **overrides)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def current_config() -> Config | None:
    """The configuration of the app handling this request or command, None outside an app
    (services read their settings here rather than from Flask's objects)."""
    from flask import current_app, has_app_context

    return current_app.extensions["workflow_config"] if has_app_context() else None
