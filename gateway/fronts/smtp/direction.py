"""Where a message's direction comes from: who connected, never what its envelope claims.

`MAIL FROM:<bob@example.com>` costs a stranger nothing. Mail counts as ours (OUTBOUND or INTERNAL:
not scanned, and what it says is learned as "sent by us") only when the client is trusted to send as
us: its address is in `server.outbound_networks`, or it authenticated. The client address is the one
the trusted MTA in front of us passed with XFORWARD ADDR (Postfix in after-queue mode: the real SMTP
client, so listing mynetworks and the submission clients in outbound_networks works), else the socket
peer. Everything else is inbound and fully scanned, whatever its envelope says.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from gateway.core.message import Direction, direction_of

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(values: Iterable[str]) -> list[Network]:
    """CIDR blocks; a bare address is a block of one."""
    return [ipaddress.ip_network(v, strict=False) for v in values]


def in_networks(address: str | None, nets: list[Network]) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.removeprefix("IPV6:").removeprefix("ipv6:"))
    except ValueError:
        return False
    return any(ip in net for net in nets)


@dataclass(frozen=True)
class Client:
    """The SMTP client as far as the direction decision is concerned."""

    addr: str | None
    authenticated: bool = False
    forwarded: bool = False
    """`addr` came from XFORWARD ADDR of a trusted MTA, not from the socket."""


def trusted_reason(client: Client, outbound: list[Network]) -> str:
    """Why this client may send as us, or "" when it may not: the one place that decides."""
    if client.authenticated:
        return "client authenticated"
    if in_networks(client.addr, outbound):
        via = " (XFORWARD ADDR)" if client.forwarded else ""
        return f"client {client.addr}{via} in outbound_networks"
    return ""


def direction_for(
    client: Client,
    sender: str,
    recipients: tuple[str, ...],
    local_domains: frozenset[str],
    outbound: list[Network],
) -> tuple[Direction, str]:
    """The message's direction and why: addresses decide only for a trusted client."""
    why = trusted_reason(client, outbound)
    if not why:
        return Direction.INBOUND, f"client {client.addr or 'unknown'} not in outbound_networks"
    direction = direction_of(sender, recipients, local_domains)
    if direction is Direction.INBOUND:
        return direction, f"{why}, but the envelope sender is not local"
    return direction, why
