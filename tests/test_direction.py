"""The direction rule: addresses decide only for a client trusted to send as us."""

from __future__ import annotations

from gateway.core.message import Direction
from gateway.fronts.smtp.direction import Client, direction_for, networks

LOCAL = frozenset({"example.com"})
OURS = networks(["10.1.0.0/16", "2001:db8::/32"])


def test_a_stranger_typing_a_local_sender_is_inbound() -> None:
    direction, why = direction_for(
        Client("203.0.113.7"), "bob@example.com", ("bob@example.com",), LOCAL, OURS
    )
    assert direction is Direction.INBOUND and "203.0.113.7 not in outbound_networks" in why


def test_an_outbound_network_client_is_outbound_or_internal() -> None:
    out = direction_for(Client("10.1.2.3"), "bob@example.com", ("carol@vendor.test",), LOCAL, OURS)
    assert out == (Direction.OUTBOUND, "client 10.1.2.3 in outbound_networks")
    internal = direction_for(Client("2001:db8::5"), "bob@example.com", ("ann@example.com",), LOCAL, OURS)
    assert internal[0] is Direction.INTERNAL


def test_a_trusted_client_relaying_a_foreign_sender_is_scanned() -> None:
    direction, why = direction_for(Client("10.1.2.3"), "x@vendor.test", ("bob@example.com",), LOCAL, OURS)
    assert direction is Direction.INBOUND and "not local" in why


def test_forwarded_and_authenticated_clients_say_so() -> None:
    forwarded = direction_for(
        Client("10.1.9.9", forwarded=True), "bob@example.com", ("c@v.test",), LOCAL, OURS
    )
    assert forwarded == (Direction.OUTBOUND, "client 10.1.9.9 (XFORWARD ADDR) in outbound_networks")
    authed = direction_for(
        Client("198.51.100.1", authenticated=True), "bob@example.com", ("c@v.test",), LOCAL, OURS
    )
    assert authed == (Direction.OUTBOUND, "client authenticated")


def test_no_client_address_is_inbound() -> None:
    assert direction_for(Client(None), "bob@example.com", ("c@v.test",), LOCAL, OURS)[0] is Direction.INBOUND
