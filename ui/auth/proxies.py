"""Which requests come through the proxies we trust, and what those proxies tell us.

    proxies = parse_proxies(["10.0.0.5", "fd00::/64"])
    trusted_user(request.headers, request.client.host, "X-Remote-User", proxies)  # -> "ann" or None
    client_address(request.headers, request.client.host, proxies)              # the browser's address

A header is only as trustworthy as whoever set it: any browser can send `X-Remote-User: admin`.
So the user header counts only on a connection from a listed proxy address (which must set the
header itself, overwriting whatever the browser sent), and X-Forwarded-For is read the same way:
from the right, past our own proxies, to the first address we did not put there.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

from indexer.errors import BadInput
from ui.auth.errors import BadName
from ui.auth.users import normalise_name

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_proxies(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR blocks (10.0.0.5, 10.0.0.0/24, ::1, fd00::/64); BadInput names a bad one."""
    out = []
    for v in values:
        try:
            out.append(ipaddress.ip_network(str(v).strip(), strict=False))
        except ValueError:
            raise BadInput(f"--trusted-proxy {v!r} is not an IP address or CIDR block "
                           "(e.g. 127.0.0.1, 10.0.0.0/24, fd00::/64)") from None
    return tuple(out)


def _address(value: str | None) -> Address | None:
    try:
        ip = ipaddress.ip_address((value or "").strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:  # ::ffff:10.0.0.5 is 10.0.0.5
        return ip.ipv4_mapped
    return ip


def is_trusted(address: str | None, proxies: Iterable[Network]) -> bool:
    ip = _address(address)
    return ip is not None and any(ip.version == net.version and ip in net for net in proxies)


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value, matching its name without regard to case (plain dicts included)."""
    if hasattr(headers, "getlist"):  # starlette Headers: case-insensitive already; refuse repeats
        values = headers.getlist(name)
        return values[0] if len(values) == 1 else None
    want = name.lower()
    found = [v for k, v in headers.items() if k.lower() == want]
    return found[0] if len(found) == 1 else None


def trusted_user(headers: Mapping[str, str], client_address: str | None, header_name: str,
                 trusted_proxies: Iterable[Network]) -> str | None:
    """The user name in `header_name`, if the connection comes from a trusted proxy and the header
    holds exactly one valid name; otherwise None (the header is ignored, never half-believed)."""
    if not header_name or not is_trusted(client_address, trusted_proxies):
        return None
    value = header_value(headers, header_name)
    if not value:
        return None
    try:
        return normalise_name(value)
    except BadName:
        return None


def client_address(headers: Mapping[str, str], peer: str | None, trusted_proxies: Iterable[Network]) -> str:
    """The address a request really came from: the peer, unless the peer is one of our proxies, in
    which case X-Forwarded-For is read from the right past our own proxies. Failed sign-ins are
    counted per this address, so behind a proxy they are not all blamed on the proxy."""
    proxies = tuple(trusted_proxies)
    if not is_trusted(peer, proxies):
        return peer or "unknown"
    forwarded = header_value(headers, "x-forwarded-for") or ""
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:  # garbage in the chain: stop at what we can trust
            break
        if not is_trusted(hop, proxies):
            return str(_address(hop))
    return peer or "unknown"
