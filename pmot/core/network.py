"""The client's address, as far as we can trust it.

X-Forwarded-For is a list anybody can write: a client sends one of its own choosing, and each
proxy on the way appends the address it was connected from. So the header is read only when the
connection itself comes from one of our proxies (`PMOT_TRUSTED_PROXIES`), and then from the
right: the first address that is not one of our proxies is the one the outermost of them saw.
Entries further left were written by the client and can be anything.

Every limit per address (the login lockout, the public comments) asks `client_ip`.
"""

import ipaddress
from functools import cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    # Invalid entries are refused by the check pmot.E019; here they simply match nothing.
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def invalid_proxy_entries(entries) -> list[str]:
    """The entries of PMOT_TRUSTED_PROXIES that are neither an IP address nor a network."""
    invalid = []
    for entry in entries:
        try:
            ipaddress.ip_network(str(entry).strip(), strict=False)
        except ValueError:
            invalid.append(entry)
    return invalid


def is_trusted_proxy(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.PMOT_TRUSTED_PROXIES)))


def forwarded_chain(request) -> list[str]:
    """The addresses of X-Forwarded-For as received, left to right (whoever wrote them)."""
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [entry.strip() for entry in header.split(",") if entry.strip()]


def client_ip(request) -> str | None:
    """The address of the connection, unless it is one of our proxies: then the right-most
    address of X-Forwarded-For that is not one of our proxies."""
    remote = request.META.get("REMOTE_ADDR")
    if not is_trusted_proxy(remote):
        return remote
    chain = forwarded_chain(request)
    for address in reversed(chain):
        if not is_trusted_proxy(address):
            return address
    # Only our proxies in the chain (or none at all): the farthest one is the client.
    return chain[0] if chain else remote
