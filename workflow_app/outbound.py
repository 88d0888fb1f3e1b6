"""The one gate for outbound calls: the application reaches only hosts an administrator allowed.

Webhook deliveries and certificate revocation checks (OCSP, CRL) ask `check(url)` before any
request. The allow-list is `Config.outbound_allowed_hosts` (environment OUTBOUND_ALLOWED_HOSTS,
comma-separated "host" or "host:port"): an entry without a port allows every port of that host.
Only http and https are ever called. Nothing else in the product opens a connection outward.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from workflow_app.config import current_config


class HostNotAllowed(ValueError):
    """The URL's host is not on the administrator's allow-list (or the URL is not http/https)."""

    def __init__(self, url: str, reason: str):
        super().__init__(reason)
        self.url = url
        self.reason = reason


def allowed_hosts() -> tuple[str, ...]:
    config = current_config()
    return config.outbound_allowed_hosts if config is not None else ()


def is_allowed(url: str, allowed: tuple[str, ...] | None = None) -> bool:
    try:
        check(url, allowed)
    except HostNotAllowed:
        return False
    return True


def check(url: str, allowed: tuple[str, ...] | None = None) -> str:
    """Return the URL's "host:port" when it may be called; raise HostNotAllowed otherwise."""
    allowed = allowed_hosts() if allowed is None else allowed
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise HostNotAllowed(url, "not a valid address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HostNotAllowed(url, "only http and https addresses can be called")
    host = parts.hostname.lower()
    port = port or (443 if parts.scheme == "https" else 80)
    if host in allowed or f"{host}:{port}" in allowed:
        return f"{host}:{port}"
    raise HostNotAllowed(url, f"{host}:{port} is not on the administrator's list of allowed hosts")
