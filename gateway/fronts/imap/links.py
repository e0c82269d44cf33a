"""The signed links of the IMAP digest: the same per-recipient grants as the SMTP digest's
(gateway/actions/links.py), verified by the same review page, whose buttons then act on the hold folder
(fronts/imap/review.py). Off, and the digest says "drag it", unless web.link_secret and web.base_url are set.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.actions.links import LinkAction, LinkSigner, action_url, review_url
from gateway.settings import Settings


@dataclass(frozen=True)
class RecordLinks:
    release: str
    """Release: move it back to the INBOX; its sender is wanted (LinkAction.RELEASE)."""
    block: str
    """This is a pitch: block the sender, keep it in the hold folder (LinkAction.BLOCK)."""


@dataclass(frozen=True)
class DigestLinks:
    signer: LinkSigner
    base_url: str

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestLinks | None:
        web = settings.web
        signer = LinkSigner.from_settings(web)
        return cls(signer, web.base_url) if signer.enabled and web.base_url else None

    def review(self, recipient: str, now: float) -> str:
        return review_url(self.base_url, self.signer.sign(recipient, LinkAction.VIEW, now))

    def record(self, recipient: str, qid: str, now: float) -> RecordLinks:
        def link(action: LinkAction) -> str:
            return action_url(self.base_url, self.signer.sign(recipient, action, now, qid))

        return RecordLinks(link(LinkAction.RELEASE), link(LinkAction.BLOCK))
