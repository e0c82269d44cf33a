"""Signed links: a grant survives the round trip; expired, tampered, foreign and disabled links do not."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer

from gateway.actions.links import SALT, LinkAction, LinkError, LinkSigner, action_url, review_url

NOW = 1_790_000_000.0
DAY = 86400.0


def test_round_trip_keeps_every_field() -> None:
    signer = LinkSigner("s3cret", 7 * DAY)
    token = signer.sign("Bob@Example.com", LinkAction.RELEASE, NOW, qid="abc123")
    grant = signer.verify(token, NOW + 6 * DAY)
    assert (grant.recipient, grant.action, grant.qid) == ("bob@example.com", LinkAction.RELEASE, "abc123")
    assert grant.expires_at == int(NOW + 7 * DAY)


def test_expired_at_the_ttl() -> None:
    signer = LinkSigner("s3cret", 7 * DAY)
    token = signer.sign("bob@example.com", LinkAction.VIEW, NOW)
    signer.verify(token, NOW + 7 * DAY - 1)
    with pytest.raises(LinkError, match="expired"):
        signer.verify(token, NOW + 7 * DAY)


def test_tampered_payload_or_signature_is_invalid() -> None:
    signer = LinkSigner("s3cret", DAY)
    token = signer.sign("bob@example.com", LinkAction.VIEW, NOW)
    payload, signature = token.rsplit(".", 1)
    carol = signer.sign("carol@example.com", LinkAction.VIEW, NOW).rsplit(".", 1)[0]
    flipped = signature[:5] + ("A" if signature[5] != "A" else "B") + signature[6:]
    for bad in (f"{carol}.{signature}", f"{payload}.{flipped}", payload, "", "a.b.c"):
        with pytest.raises(LinkError, match="invalid"):
            signer.verify(bad, NOW)


def test_another_secret_or_salt_is_refused() -> None:
    token = LinkSigner("s3cret", DAY).sign("bob@example.com", LinkAction.VIEW, NOW)
    with pytest.raises(LinkError, match="invalid"):
        LinkSigner("other", DAY).verify(token, NOW)
    # The same secret used for something else (another salt) cannot mint a link.
    other_use = URLSafeSerializer("s3cret", salt="something.else").dumps(
        {"r": "bob@example.com", "a": "view", "q": "", "e": NOW + DAY}
    )
    assert isinstance(other_use, str) and SALT != "something.else"
    with pytest.raises(LinkError, match="invalid"):
        LinkSigner("s3cret", DAY).verify(other_use, NOW)


def test_a_signed_payload_of_the_wrong_shape_is_invalid() -> None:
    serializer = URLSafeSerializer("s3cret", salt=SALT)
    for payload in (
        {"r": "bob@example.com"},
        {"r": "b", "a": "format-disk", "q": "", "e": NOW + DAY},
        [1, 2],
    ):
        token = serializer.dumps(payload)
        with pytest.raises(LinkError, match="invalid"):
            LinkSigner("s3cret", DAY).verify(str(token), NOW)


def test_no_secret_means_no_links() -> None:
    signer = LinkSigner("", DAY)
    assert not signer.enabled
    with pytest.raises(LinkError, match="off"):
        signer.sign("bob@example.com", LinkAction.VIEW, NOW)
    token = LinkSigner("s3cret", DAY).sign("bob@example.com", LinkAction.VIEW, NOW)
    with pytest.raises(LinkError, match="off"):
        signer.verify(token, NOW)


def test_url_shapes() -> None:
    assert review_url("https://q.example.com/", "T.K") == "https://q.example.com/?link=T.K"
    assert action_url("https://q.example.com", "T.K") == "https://q.example.com/a/T.K"
