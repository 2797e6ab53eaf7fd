"""Where a webhook may go: no server-side request forgery into the hosting network.

A URL is checked when it is registered and again, against the addresses its host resolves to
at that moment, before every delivery; the delivery then connects to the address that was
checked (the host name still goes in the Host header and TLS SNI), so a DNS answer that
changes between check and connect cannot redirect it inside.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from tessera.errors import Invalid

MAX_URL = 2000


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    host: str
    address: str

    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address."""
        parts = urlsplit(self.url)
        literal = f"[{self.address}]" if ":" in self.address else self.address
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        return parts._replace(netloc=netloc).geturl()


def check_shape(url: str, *, allow_http: bool) -> SplitResult:
    if len(url) > MAX_URL:
        raise Invalid("url", f"at most {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Invalid("url", "is not a valid URL") from None
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        raise Invalid("url", "must be an https:// URL")
    if not parts.hostname:
        raise Invalid("url", "must name a host")
    if parts.username or parts.password:
        raise Invalid("url", "must not carry a user name or password")
    if parts.fragment:
        raise Invalid("url", "must not have a #fragment")
    if port == 0:
        raise Invalid("url", "port 0 is not a port")
    return parts


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(url: str, *, allow_http: bool, allow_private: bool) -> Target:
    """Check ``url`` and pick the address to connect to; 422 if it is not allowed."""
    parts = check_shape(url, allow_http=allow_http)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Invalid("url", f"the host {host!r} does not resolve") from None
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise Invalid("url", f"the host {host!r} does not resolve")
    if not allow_private:
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise Invalid("url", "must not point to a private, loopback or link-local address")
    return Target(url=url, host=host, address=addresses[0])
