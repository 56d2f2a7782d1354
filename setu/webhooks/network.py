"""Where a webhook may go, and the one HTTP call that takes it there.

Setu posts to addresses its users type, so a subscription could aim the server at itself or
at the machines beside it (server-side request forgery). Only public addresses are allowed:
the host is resolved and EVERY address it resolves to must be public (not loopback, private,
link-local, multicast, reserved or unspecified, IPv4-mapped forms included) — at the moment the
form is saved and again at every delivery, and the request then connects to the very address
that was checked, so a DNS answer that changes in between (rebinding) cannot slip through.
Redirects are not followed. ``SETU_WEBHOOKS_ALLOW_PRIVATE`` lifts the rule for a closed
network (and for tests against a local receiver).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_RESPONSE_BYTES = 64 * 1024


class Refused(Exception):
    """The URL may not be called; the message (translated) says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP address the request connects to


@dataclass(frozen=True)
class Response:
    status_code: int
    body: str
    duration_ms: int


def allow_private() -> bool:
    return bool(getattr(settings, "SETU_WEBHOOKS_ALLOW_PRIVATE", False))


def resolve(host: str, port: int) -> list[str]:
    """The IP addresses ``host`` resolves to (tests replace this)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> Target:
    """The target of ``url`` when it may be called now; ``Refused`` with the reason if not."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise Refused(_("The address must start with https:// (or http://)."))
    if scheme == "http" and getattr(settings, "SETU_WEBHOOKS_HTTPS_ONLY", False):
        raise Refused(_("The address must start with https://: payloads travel encrypted."))
    if parts.username or parts.password:
        raise Refused(_("Put no user name or password in the address; every delivery is signed."))
    host = parts.hostname or ""
    if not host:
        raise Refused(_("The address has no host name."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise Refused(_("The address has an invalid port.")) from None
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        raise Refused(_("The host %(host)s could not be found.") % {"host": host}) from None
    if not addresses:
        raise Refused(_("The host %(host)s could not be found.") % {"host": host})
    if not allow_private():
        private = [address for address in addresses if not is_public(address)]
        if private:
            raise Refused(
                _(
                    "%(host)s is a private or local address (%(address)s); webhooks go only to "
                    "addresses on the public internet."
                )
                % {"host": host, "address": private[0]}
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls)
        self._address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the pinned address.
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Response:
    """POST ``body`` to ``url`` after ``check_url``; ``Refused`` or ``OSError`` on failure."""
    target = check_url(url)
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout)
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        reply = connection.getresponse()
        content = reply.read(MAX_RESPONSE_BYTES)
        status = reply.status
    except http.client.HTTPException as error:
        raise OSError(str(error) or error.__class__.__name__) from error
    finally:
        connection.close()
    duration = int((time.monotonic() - started) * 1000)
    return Response(status, content.decode("utf-8", "replace"), duration)
