"""One generated message before it becomes bytes, and the label it carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tests.scenarios2.world import Person

LABELS = ("pitch_first", "pitch_followup", "wanted")


@dataclass
class Mail:
    """A message of the mailbox: who, when, what, and what it truly is."""

    sender: Person
    to: list[Person]
    subject: str
    text: str
    when: datetime
    kind: str
    label: str
    scenario: str
    language: str
    cc: list[Person] = field(default_factory=list)
    html: str | None = None
    in_reply_to: Mail | None = None
    quote: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    calendar: str | None = None
    return_path: str | None = None
    message_id: str = ""
    mid_host: str = ""
    recipient_labels: dict[str, str] = field(default_factory=dict)

    def references(self) -> list[str]:
        """The Message-IDs of the thread this message answers, oldest first."""
        chain: list[str] = []
        parent = self.in_reply_to
        while parent is not None:
            chain.insert(0, parent.message_id)
            parent = parent.in_reply_to
        return chain

    def label_row(self, direction: str) -> dict[str, object]:
        """The labels file's line for this message."""
        everyone = [p.address for p in self.to + self.cc]
        return {
            "message_id": self.message_id,
            "kind": self.kind,
            "language": self.language,
            "label": self.label,
            "scenario": self.scenario,
            "direction": direction,
            "recipients": {a: self.recipient_labels.get(a, self.label) for a in everyone},
        }
