"""The mailbox being generated: its random source, its people, the mails so far, and the context texts are filled from."""

from __future__ import annotations

import random
from datetime import date, datetime

from tests.scenarios2 import timeline
from tests.scenarios2.mail import Mail
from tests.scenarios2.phrases import pick
from tests.scenarios2.world import COMPANY, PRODUCT, Person, Strangers, users

_ROLES = {
    "en": ["Data Engineer", "Analytics Consultant", "Junior Data Analyst", "Product Designer"],
    "de": ["Data Engineer (m/w/d)", "Werkstudent Data Analytics", "Berater Business Intelligence"],
    "fr": ["Data Analyst", "Consultant BI", "Alternant Data Engineer"],
    "es": ["Analista de Datos", "Consultor BI", "Data Engineer"],
    "nl": ["Data-analist", "BI-consultant", "Stagiair Data Science"],
}
OUTLETS = {
    "en": ["The Register", "Computer Weekly", "Retail Gazette"],
    "de": ["Handelsblatt", "t3n", "Computerwoche"],
    "fr": ["Les Echos", "LSA", "Le Journal du Net"],
    "es": ["Expansión", "Cinco Días", "El Economista"],
    "nl": ["Het Financieele Dagblad", "Emerce", "Computable"],
}
_CLIENTS = [
    "Acme Retail",
    "Helix Logistics",
    "Brightwater",
    "Novaprint",
    "Tandem Foods",
    "Quarry Bank",
    "Orbis Travel",
]
_BOOKING = [
    "calendly.com/{s}/15min",
    "calendly.com/{s}-{d}/intro",
    "meetings.hubspot.com/{s}",
    "cal.com/{s}/30",
    "{d}/book/{s}",
    "app.usemotion.com/meet/{s}",
]


class Box:
    """Collects the generated mails of one seed."""

    def __init__(self, seed: int, days: int) -> None:
        self.rng = random.Random(seed)
        self.strangers = Strangers(self.rng)
        self.users = users()
        self.days = days
        self.mails: list[Mail] = []
        self._count = 0

    def sid(self, kind: str) -> str:
        """A new scenario id."""
        self._count += 1
        return f"{kind}-{self._count:04d}"

    def user(self, language: str | None = None) -> Person:
        """A random user, of one language when asked for."""
        pool = [u for u in self.users if language is None or u.language == language] or self.users
        return self.rng.choice(pool)

    def day(self, earliest: int = 0, margin: int = 0) -> date:
        """A random day of the mailbox, leaving margin days at its end."""
        return timeline.day_of(
            timeline.START, self.rng.randrange(earliest, max(earliest + 1, self.days - margin))
        )

    def at(self, day: date, person: Person) -> datetime:
        """A moment in office hours; most weekend days move to the Monday after (some people write on Sundays)."""
        if day.weekday() >= 5 and self.rng.random() < 0.85:
            day = timeline.business_days_after(day, 0)
        return timeline.office_time(self.rng, day, person.language)

    def booking(self, sender: Person) -> str:
        s = sender.first.lower().encode("ascii", "ignore").decode() or "meet"
        return "https://" + self.rng.choice(_BOOKING).format(s=s, d=sender.domain)

    def ctx(
        self, sender: Person, recipient: Person, rng: random.Random | None = None, **extra: str
    ) -> dict[str, str]:
        """Every placeholder the phrase banks use, for a message from sender to recipient (drawn from rng if given)."""
        rng, lang = rng or self.rng, sender.language
        first, _, last = recipient.name.partition(" ")
        base = {
            "first": first,
            "last": last,
            "name": recipient.name,
            "first_of_name": first,
            "company": COMPANY if recipient.org == COMPANY else recipient.org or COMPANY,
            "me": sender.name,
            "me_first": sender.first,
            "my_company": sender.org or sender.domain,
            "title": pick(rng, lang, "titles"),
            "booking": self.booking(sender),
            "client": rng.choice(_CLIENTS),
            "pct": str(rng.choice([18, 27, 34, 41, 62, 140])),
            "weekday": pick(rng, lang, "weekdays"),
            "role": rng.choice(_ROLES[lang]),
            "product": PRODUCT,
            "ticket": f"{rng.choice('ABCHKT')}{rng.randrange(10000, 99999)}",
            "outlet": rng.choice(OUTLETS[lang]),
            "order": f"{rng.randrange(100, 999)}-{rng.randrange(1000000, 9999999)}",
            "amount": f"{rng.randrange(12, 900)},{rng.randrange(10, 99)} €"
            if lang != "en"
            else f"£{rng.randrange(12, 900)}.{rng.randrange(10, 99)}",
            "brand": sender.org or sender.domain,
            "brand_host": sender.domain,
            "link": f"https://{sender.domain}/r/{rng.randrange(16**8):08x}",
            "phone": f"+{rng.choice(['44 20', '49 30', '33 4', '34 91', '31 30'])} {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
            "nl": "",
            "n": str(rng.randrange(12, 180)),
            "topic": "",
            "summary": "",
            "colleague": "",
        }
        base.update(extra)
        return base

    def add(self, mail: Mail) -> Mail:
        self.mails.append(mail)
        return mail
