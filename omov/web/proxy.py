"""Which forwarded headers to believe: only those a trusted reverse proxy set.

Behind a TLS-terminating proxy every request arrives from the proxy's
address, over plain HTTP. The proxy says who the client is
(`X-Forwarded-For`) and whether it spoke HTTPS (`X-Forwarded-Proto`), but any
client can send those headers too. So they are believed only when the peer
is one of the addresses in `OMOV_TRUSTED_PROXIES` (addresses or CIDR
networks); from anyone else they are removed before any other code sees
them. The client address then replaces `REMOTE_ADDR`, so the per-address
sign-in limit counts each member's own address, not the proxy's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_FORWARDED")


def parse_trusted_proxies(entries: Iterable[str]) -> tuple[Network, ...]:
    """Networks from addresses or CIDR blocks; a bad entry is named in the error."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"OMOV_TRUSTED_PROXIES: {entry.strip()!r} is not an IP address or CIDR network "
                "(e.g. 127.0.0.1, 10.0.0.0/8, ::1)"
            ) from error
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(peer: str | None, trusted: Sequence[Network]) -> bool:
    address = _address(peer or "")
    return address is not None and any(address in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: Sequence[Network]) -> str | None:
    """The client's address: the peer itself unless it is a trusted proxy.

    From a trusted peer, `X-Forwarded-For` is read from the right (each proxy
    appends the address it heard from), skipping further trusted proxies; the
    first address that is not one is the client. Entries to its left were
    written by the client and could be anything, so they are never used. A
    malformed entry stops the walk at the last trusted hop.
    """
    if not is_trusted(peer, trusted):
        return peer
    client = peer
    for hop in reversed((forwarded_for or "").split(",")):
        address = _address(hop)
        if address is None:
            break
        client = str(address)
        if not any(address in network for network in trusted):
            break
    return client


class TrustedProxyMiddleware:
    """Believes forwarded headers from `OMOV_TRUSTED_PROXIES` only; runs before all others.

    From a trusted proxy: `REMOTE_ADDR` becomes the client's address and
    `X-Forwarded-Proto` stays, for `SECURE_PROXY_SSL_HEADER` (HTTPS redirect,
    HSTS, secure cookies). From anyone else, every forwarded header is
    dropped, so a spoofed `X-Forwarded-Proto: https` or `X-Forwarded-For`
    changes nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = parse_trusted_proxies(settings.OMOV_TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = meta.get("REMOTE_ADDR")
        if is_trusted(peer, self.trusted):
            client = client_address(peer, meta.get("HTTP_X_FORWARDED_FOR"), self.trusted)
            if client:
                meta["REMOTE_ADDR"] = client
            proto = meta.get("HTTP_X_FORWARDED_PROTO")
            if proto is not None:  # a chain of proxies: the one nearest us speaks last
                meta["HTTP_X_FORWARDED_PROTO"] = proto.split(",")[-1].strip().lower()
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
