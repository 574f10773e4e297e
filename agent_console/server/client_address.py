"""Which address a request came from, for the sign-in throttle (issue 14).

The peer's address, unless the peer is a configured reverse proxy (`serve
--trusted-proxy`): then the nearest address in X-Forwarded-For that is not itself a
trusted proxy. With no proxy configured the header is ignored, so a client cannot
choose its own address. (uvicorn's own proxy-header handling is off: it trusts any
loopback peer by default.)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """`--trusted-proxy` values (addresses or CIDR blocks); ValueError on a bad one."""
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str, trusted: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: Request, proxies: tuple[str, ...]) -> str:
    peer = request.client.host if request.client else ""
    trusted = networks(proxies)
    if not trusted or not _trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        if not _valid(hop):
            return peer  # a garbled header from our own proxy: count it as the proxy
        if not _trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer  # every hop a proxy of ours: the first one asked
