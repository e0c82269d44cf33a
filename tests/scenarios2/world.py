"""The people in the generated mailbox: the company's users and the strangers, customers and firms around them."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

LANGUAGES = ("en", "de", "fr", "es", "nl")
LOCAL_DOMAIN = "larkhill-analytics.example"
COMPANY = "Larkhill Analytics"
PRODUCT = "Larkhill Insights"

# Which language each of the fifteen users reads and writes (offices in London, Berlin, Lyon, Madrid, Utrecht).
_USERS = (
    ("Bob", "Turner", "en", "bob"),
    ("Carol", "Hughes", "en", "carol"),
    ("Priya", "Shah", "en", "priya"),
    ("Tom", "Walsh", "en", "tom"),
    ("Emma", "Clarke", "en", "emma"),
    ("Daniel", "Okafor", "en", "daniel"),
    ("Jonas", "Becker", "de", "jonas.becker"),
    ("Katrin", "Vogel", "de", "k.vogel"),
    ("Lukas", "Hartmann", "de", "lukas"),
    ("Camille", "Lefèvre", "fr", "camille"),
    ("Julien", "Moreau", "fr", "julien.moreau"),
    ("Lucía", "Fernández", "es", "lucia"),
    ("Javier", "Ortega", "es", "javier"),
    ("Sanne", "de Vries", "nl", "sanne"),
    ("Thijs", "Bakker", "nl", "thijs"),
)

FIRST_NAMES = {
    "en": [
        "James",
        "Olivia",
        "Ryan",
        "Megan",
        "Chris",
        "Hannah",
        "Jake",
        "Sophie",
        "Nathan",
        "Ashley",
        "Kevin",
        "Rachel",
        "Tyler",
        "Lauren",
        "Marcus",
        "Chloe",
        "Sean",
        "Amber",
    ],
    "de": [
        "Florian",
        "Julia",
        "Tobias",
        "Anna",
        "Sebastian",
        "Lena",
        "Maximilian",
        "Sarah",
        "Felix",
        "Laura",
        "Moritz",
        "Johanna",
        "Stefan",
        "Miriam",
        "Niklas",
        "Carina",
    ],
    "fr": [
        "Thomas",
        "Manon",
        "Nicolas",
        "Chloé",
        "Antoine",
        "Léa",
        "Maxime",
        "Camille",
        "Hugo",
        "Sarah",
        "Quentin",
        "Pauline",
        "Romain",
        "Élodie",
        "Bastien",
        "Inès",
    ],
    "es": [
        "Alejandro",
        "María",
        "Pablo",
        "Carmen",
        "Sergio",
        "Laura",
        "Diego",
        "Lucía",
        "Álvaro",
        "Marta",
        "Adrián",
        "Paula",
        "Rubén",
        "Elena",
        "Iván",
        "Nerea",
    ],
    "nl": [
        "Daan",
        "Lotte",
        "Bram",
        "Femke",
        "Ruben",
        "Anouk",
        "Jesse",
        "Sophie",
        "Niels",
        "Eva",
        "Lars",
        "Iris",
        "Stijn",
        "Maartje",
        "Koen",
        "Noor",
    ],
}
LAST_NAMES = {
    "en": [
        "Miller",
        "Johnson",
        "Reed",
        "Carter",
        "Brooks",
        "Foster",
        "Hayes",
        "Price",
        "Bennett",
        "Coleman",
        "Ward",
        "Russell",
        "Patel",
        "Nguyen",
        "Murphy",
        "Griffin",
    ],
    "de": [
        "Schmidt",
        "Wagner",
        "Fischer",
        "Weber",
        "Schulz",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Krüger",
        "Hofmann",
        "Lange",
        "Braun",
    ],
    "fr": [
        "Martin",
        "Bernard",
        "Dubois",
        "Laurent",
        "Girard",
        "Bonnet",
        "Dupont",
        "Lambert",
        "Fontaine",
        "Rousseau",
        "Mercier",
        "Blanc",
        "Guerin",
        "Faure",
        "Chevalier",
        "Roux",
    ],
    "es": [
        "García",
        "Martínez",
        "López",
        "Sánchez",
        "Romero",
        "Navarro",
        "Torres",
        "Domínguez",
        "Vázquez",
        "Ramos",
        "Gil",
        "Serrano",
        "Molina",
        "Castro",
        "Ortiz",
        "Rubio",
    ],
    "nl": [
        "Jansen",
        "Visser",
        "Smit",
        "Meijer",
        "Mulder",
        "de Boer",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "van Dijk",
        "Dekker",
        "Brouwer",
        "de Wit",
        "Kok",
        "Vermeulen",
    ],
}
_FIRM_STEMS = {
    "en": [
        "Brightpath",
        "Northbeam",
        "Pipeline Pros",
        "Scalewise",
        "Clearlead",
        "Peakreach",
        "Bluecanvas",
        "Outbound Hub",
        "Ironclad",
        "Meridian",
        "Kestrel",
        "Summit Loop",
    ],
    "de": [
        "Nordlicht",
        "Wachstumswerk",
        "Vertriebskraft",
        "Digitalhafen",
        "Blauwerk",
        "Leitstern",
        "Kundenfang",
        "Elbmedia",
        "Rheinsoft",
        "Alpenblick",
        "Datenbrücke",
        "Weitblick",
    ],
    "fr": [
        "Croissance Plus",
        "Lumière Digitale",
        "Hexagone Leads",
        "Azur Conseil",
        "Cap Vente",
        "Atelier Web",
        "Prospectia",
        "Rive Gauche Media",
        "Vallée Tech",
        "Horizon B2B",
    ],
    "es": [
        "Crecimiento Ya",
        "Soluciones Ibéricas",
        "Ventas Claras",
        "Mar Digital",
        "Impulso B2B",
        "Sol Consultores",
        "Red Comercial",
        "Faro Media",
        "Atlas Leads",
        "Nexo Digital",
    ],
    "nl": [
        "Groeikracht",
        "Polder Digital",
        "Klantwerk",
        "Leadfabriek",
        "Dijkstra Media",
        "Oranje Online",
        "Waterland IT",
        "Vooruit Sales",
        "Molenwiek",
        "Grachtsoft",
    ],
}
_FIRM_SUFFIX = {
    "en": ["", " Ltd", " Inc.", " Group", " Partners", " Agency", " Labs"],
    "de": [" GmbH", " GmbH & Co. KG", " AG", " UG", ""],
    "fr": [" SAS", " SARL", "", " Group"],
    "es": [" S.L.", " S.A.", "", " Group"],
    "nl": [" B.V.", "", " Groep"],
}
TLDS = {
    "en": ["com", "io", "co", "co.uk", "net"],
    "de": ["de", "com", "io"],
    "fr": ["fr", "com", "eu"],
    "es": ["es", "com", "eu"],
    "nl": ["nl", "com", "eu"],
}
FREEMAIL = {
    "en": ["gmail.com", "outlook.com", "yahoo.co.uk", "hotmail.com", "icloud.com"],
    "de": ["gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de"],
    "fr": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "outlook.es"],
    "nl": ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl", "xs4all.nl"],
}
# Hours from UTC for each language's senders (standard time; the mailbox spans autumn).
TZ_HOURS = {"en": 0, "de": 1, "fr": 1, "es": 1, "nl": 1}


@dataclass(frozen=True)
class Person:
    """One mailbox owner: a user of the company or someone outside."""

    name: str
    address: str
    language: str
    org: str = ""

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[1]


def slug(text: str) -> str:
    """An ASCII domain label for a name: 'Müller & Partner' -> 'muller-partner'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def users() -> list[Person]:
    """The company's fifteen users, always the same."""
    return [
        Person(f"{f} {last}", f"{local}@{LOCAL_DOMAIN}", lang, COMPANY) for f, last, lang, local in _USERS
    ]


class Strangers:
    """Draws new outside people and firms from a seeded random source, never the same address twice."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._taken: set[str] = set()

    def name(self, language: str) -> str:
        return f"{self._rng.choice(FIRST_NAMES[language])} {self._rng.choice(LAST_NAMES[language])}"

    def firm(self, language: str) -> tuple[str, str]:
        """A firm's display name and a domain of its own."""
        while True:
            stem = self._rng.choice(_FIRM_STEMS[language])
            domain = f"{slug(stem)}{self._rng.choice(['', '', '-group', 'hq', '-digital'])}.{self._rng.choice(TLDS[language])}"
            if domain not in self._taken:
                self._taken.add(domain)
                return stem + self._rng.choice(_FIRM_SUFFIX[language]), domain

    def at(self, name: str, domain: str, language: str, org: str = "") -> Person:
        """A person at a domain, with one of the usual local-part shapes."""
        first, _, last = name.partition(" ")
        shapes = [f"{first}", f"{first}.{last}", f"{first[0]}.{last}", f"{first}{last[0]}", f"{last}"]
        base = slug(self._rng.choice(shapes)).replace("-", ".") or "info"
        address = f"{base}@{domain}"
        n = 2
        while address in self._taken:
            address, n = f"{base}{n}@{domain}", n + 1
        self._taken.add(address)
        return Person(name, address, language, org)

    def worker(self, language: str) -> Person:
        """Someone at a firm of their own."""
        org, domain = self.firm(language)
        return self.at(self.name(language), domain, language, org)

    def private(self, language: str) -> Person:
        """Someone writing from a freemail address (applicants, freelancers, friends)."""
        return self.at(self.name(language), self._rng.choice(FREEMAIL[language]), language)
