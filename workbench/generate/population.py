"""The synthetic population: persons in households, each with one true identity.

Everything the organisations later write about a person (in whatever
spelling or form) is rendered from the ``Person`` built here, which is also
what ``truth.json`` says about them. Persons arrive as households - single
travellers (mostly young men), families, and unaccompanied minors - because
who travels with whom decides the travel companions KMar records.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache, partial

from workbench.generate.forms import PhoneNumber, Weighted, new_phone
from workbench.generate.names import FAMILY, GIVEN, Language

__all__ = [
    "NATIONALITY_SHARES",
    "ROUTES",
    "Document",
    "Person",
    "build_population",
    "pick_route",
]

# Nationality of asylum applicants in the Netherlands in 2015, approximate,
# after IND / CBS figures for that year (58,880 first and follow-on asylum
# applications incl. family members; Syrians by far the largest group, then
# Eritreans, then stateless persons - mostly Palestinians from Syria -,
# Iraqis, Afghans, Iranians). Nationalities whose names we have no tables
# for (Albania, Ukraine, Kosovo, ...) are folded into the listed ones.
NATIONALITY_SHARES: dict[str, float] = {
    "SYR": 0.475,
    "ERI": 0.130,
    "XXA": 0.055,
    "IRQ": 0.055,
    "AFG": 0.050,
    "IRN": 0.035,
    "SOM": 0.030,
    "ETH": 0.020,
    "SDN": 0.020,
    "LBY": 0.015,
    "PAK": 0.010,
    "MAR": 0.010,
    "DZA": 0.010,
    "EGY": 0.010,
    "YEM": 0.010,
    "LBN": 0.010,
}

# Name language per nationality: (language, weight).
_LANGUAGES: dict[str, tuple[tuple[Language, float], ...]] = {
    "SYR": (("arabic", 0.85), ("kurdish", 0.15)),
    "XXA": (("arabic", 0.8), ("kurdish", 0.2)),
    "IRQ": (("arabic", 0.6), ("kurdish", 0.4)),
    "IRN": (("farsi", 0.85), ("kurdish", 0.15)),
    "ERI": (("tigrinya", 1.0),),
    "ETH": (("amharic", 0.7), ("tigrinya", 0.3)),
    "AFG": (("pashto_dari", 1.0),),
    "PAK": (("pashto_dari", 1.0),),
    "SOM": (("somali", 1.0),),
}

_NATIONALITY = Weighted(NATIONALITY_SHARES.items())
_LANGUAGE = {nationality: Weighted(options) for nationality, options in _LANGUAGES.items()}
_ARABIC: Weighted[Language] = Weighted([("arabic", 1.0)])

# Routes in travel order (alpha-3), by region of origin; the first element
# is replaced by the person's own country where it differs.
ROUTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "balkan_hun": (("SYR", "TUR", "GRC", "MKD", "SRB", "HUN", "AUT", "DEU", "NLD"),),
    "balkan_hrv": (("SYR", "TUR", "GRC", "MKD", "SRB", "HRV", "SVN", "AUT", "DEU", "NLD"),),
    "central_med": (
        ("ERI", "ETH", "SDN", "LBY", "ITA", "FRA", "BEL", "NLD"),
        ("ERI", "SDN", "LBY", "ITA", "CHE", "DEU", "NLD"),
        ("ERI", "ETH", "SDN", "LBY", "ITA", "FRA", "NLD"),
    ),
    "west_med": (("MAR", "ESP", "FRA", "BEL", "NLD"),),
    "air": (("LBN", "NLD"), ("TUR", "NLD"), ("JOR", "NLD")),
}

# Phone country by nationality (where a person's first SIM comes from).
_PHONE_COUNTRY: dict[str, tuple[str, ...]] = {
    "SYR": ("SYR", "SYR", "TUR"),
    "XXA": ("SYR", "TUR", "TUR"),
    "IRQ": ("IRQ",),
    "IRN": ("IRN", "TUR"),
    "AFG": ("AFG", "IRN", "TUR"),
    "PAK": ("PAK",),
    "ERI": ("ERI", "SDN", "LBY"),
    "ETH": ("ETH",),
    "SOM": ("SOM",),
    "SDN": ("SDN", "LBY"),
    "LBY": ("LBY",),
}

# Arrivals per month (2015-01 .. 2016-06): the autumn 2015 peak.
_MONTH = Weighted(enumerate((2, 2, 2, 3, 5, 6, 7, 8, 14, 18, 15, 8, 5, 4, 3, 2, 2, 2)))

_PATRONYMIC: frozenset[str] = frozenset({"tigrinya", "amharic", "somali"})

_DOC_PREFIX: dict[str, str] = {"SYR": "N", "IRQ": "A", "ERI": "P", "IRN": "K", "AFG": "P"}


@dataclass(frozen=True, slots=True)
class Document:
    """An identity or travel document the person carries."""

    type: str
    number: str
    country: str


@dataclass(slots=True)
class Person:
    """One synthetic person, canonical values only."""

    pid: str
    household: str
    language: Language
    given: tuple[str, ...]
    family: str
    sex: str
    dob: dt.date
    dob_year_only: bool
    nationality: str
    v_number: str | None
    minor: bool
    unaccompanied: bool
    arrival: dt.date
    route: tuple[str, ...]
    phones: list[PhoneNumber] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    network: str | None = None

    @property
    def name(self) -> str:
        return f"{' '.join(self.given)} {self.family}"

    @property
    def dob_text(self) -> str:
        """DOB as truth states it: ``YYYY`` when only the year is known."""
        return str(self.dob.year) if self.dob_year_only else self.dob.isoformat()


def pick_route(nationality: str, arrival: dt.date, rng: random.Random) -> tuple[str, ...]:
    """A plausible 2015-16 route for ``nationality`` arriving on ``arrival``.

    Hungary closed its border on 15 September 2015; later Balkan travellers
    go through Croatia and Slovenia.
    """
    if nationality in ("ERI", "ETH", "SOM", "SDN"):
        route = rng.choice(ROUTES["central_med"])
    elif nationality in ("MAR", "DZA"):
        route = ROUTES["west_med"][0]
    elif rng.random() < 0.04:
        route = rng.choice(ROUTES["air"])
    else:
        key = "balkan_hun" if arrival < dt.date(2015, 9, 20) else "balkan_hrv"
        route = ROUTES[key][0]
    origin = "SYR" if nationality == "XXA" else nationality
    if route[0] != origin and route != ("TUR", "NLD") and len(route) > 2:
        if origin in ("AFG", "PAK"):
            route = (origin, "IRN", *route[1:])
        elif origin not in route:
            route = (origin, *route[1:])
    return route


def _arrival(rng: random.Random) -> dt.date:
    month = _MONTH.pick(rng)
    first = dt.date(2015 + month // 12, month % 12 + 1, 1)
    return first + dt.timedelta(days=rng.randrange(28))


# How steeply a name's frequency falls with its rank in its table (Zipf's
# law: the k-th name is 1/k^s as common as the first). Given names are
# steep - one man in five or six of a language gets its first name, as
# ``Mohammed`` is common - family names flat, their real tail being far
# longer than a table (ADR 0021).
GIVEN_EXPONENT = 1.0
FAMILY_EXPONENT = 0.5


@cache
def _rank_weights(size: int, exponent: float) -> tuple[float, ...]:
    """Cumulative Zipf weights of a table of ``size`` names."""
    return tuple(itertools.accumulate(1 / (k + 1) ** exponent for k in range(size)))


def _pick(
    table: tuple[tuple[str, ...], ...],
    rng: random.Random,
    avoid: Collection[str] = (),
    exponent: float = GIVEN_EXPONENT,
) -> str:
    """A canonical name from ``table``, common ones first, none of ``avoid``.

    ``avoid`` keeps one household's children from sharing a given name.
    """
    weights = _rank_weights(len(table), exponent)
    for _ in range(20):
        name = rng.choices(table, cum_weights=weights)[0][0]
        if name not in avoid:
            return name
    return name


class _Builder:
    """Mints persons with unique ids and V-numbers from one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[Person] = []
        self.v_numbers: set[str] = set()
        self.households = 0

    def v_number(self) -> str:
        while True:
            value = str(self.rng.randint(1_000_000_000, 3_999_999_999))
            if value not in self.v_numbers:
                self.v_numbers.add(value)
                return value

    def person(
        self,
        *,
        household: str,
        nationality: str,
        language: Language,
        family: str,
        sex: str,
        age: int,
        arrival: dt.date,
        route: tuple[str, ...],
        unaccompanied: bool = False,
        avoid: set[str],
    ) -> Person:
        """A new person; ``avoid`` holds the household's given names so far, and grows."""
        rng = self.rng
        # Nobody is called Kidane Kidane, nor like a brother or sister.
        given: tuple[str, ...] = (_pick(GIVEN[language][sex], rng, {*avoid, family}),)
        if language == "arabic" and sex == "M" and rng.random() < 0.15:
            given = (*given, _pick(GIVEN[language]["M"], rng))
        avoid.add(given[0])
        birth_year = arrival.year - age - (1 if rng.random() < 0.5 else 0)
        year_only = rng.random() < 0.18
        if rng.random() < 0.22:  # registered on 1 January: the date is unknown
            dob = dt.date(birth_year, 1, 1)
        else:
            dob = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        person = Person(
            pid=f"P{len(self.people) + 1:06d}",
            household=household,
            language=language,
            given=given,
            family=family,
            sex=sex,
            dob=dob,
            dob_year_only=year_only,
            nationality=nationality,
            v_number=self.v_number() if rng.random() < 0.96 else None,
            minor=age < 18,
            unaccompanied=unaccompanied,
            arrival=arrival,
            route=route,
        )
        if age >= 14 and rng.random() < (0.45 if nationality == "ERI" else 0.8):
            country = rng.choice(_PHONE_COUNTRY.get(nationality, ("TUR", "DEU")))
            person.phones.append(new_phone(country, rng))
        if age >= 16 and rng.random() < 0.35:
            person.phones.append(new_phone("NLD", rng))
        if nationality in _DOC_PREFIX and age >= 12 and rng.random() < 0.4:
            number = f"{_DOC_PREFIX[nationality]}{rng.randrange(10**7):07d}"
            person.documents.append(Document("paspoort", number, nationality))
        self.people.append(person)
        return person

    def household(self, remaining: int) -> None:
        rng = self.rng
        self.households += 1
        hid = f"H{self.households:06d}"
        nationality = _NATIONALITY.pick(rng)
        options = _LANGUAGE.get(nationality, _ARABIC)
        language = options.pick(rng)
        arrival = _arrival(rng)
        route = pick_route(nationality, arrival, rng)
        family = _pick(FAMILY[language], rng, exponent=FAMILY_EXPONENT)
        roll = rng.random()
        make = partial(
            self.person,
            household=hid,
            nationality=nationality,
            language=language,
            arrival=arrival,
            route=route,
            avoid=set(),  # parents do not give two children one name
        )
        if roll < 0.08 and nationality in ("ERI", "AFG", "SYR", "SOM", "ETH", "IRQ"):
            # Unaccompanied minor (AMV): 14-17, mostly boys; Eritrean girls too.
            sex = "V" if rng.random() < (0.35 if nationality == "ERI" else 0.1) else "M"
            fam = _pick(FAMILY[language], rng, exponent=FAMILY_EXPONENT)
            make(family=fam, sex=sex, age=rng.randint(14, 17), unaccompanied=True)
        elif roll < 0.30 and remaining >= 3:
            size = min(remaining, rng.choice((3, 3, 4, 4, 5, 6)))
            adults = 2 if rng.random() < 0.8 else 1
            if adults == 2:
                father = make(family=family, sex="M", age=rng.randint(26, 50))
                if language in _PATRONYMIC:  # children carry the father's given name
                    family = father.given[0]
            mother_family = _pick(FAMILY[language], rng, exponent=FAMILY_EXPONENT)
            make(family=mother_family, sex="V", age=rng.randint(22, 45))
            for _ in range(size - adults):
                sex = rng.choice("MV")
                make(family=family, sex=sex, age=rng.randint(0, 16))
        else:
            sex = "M" if rng.random() < 0.82 else "V"
            make(family=family, sex=sex, age=int(rng.triangular(18, 55, 24)))


def build_population(n: int, rng: random.Random) -> list[Person]:
    """``n`` persons in households; ids ``P000001`` ... in creation order.

    About 2% of adult Arabic-speaking men are made *exactly* ``Mohammed
    Ali`` on top of what the skewed tables give: the common-name decoy
    (many different persons, one name).
    """
    builder = _Builder(rng)
    while len(builder.people) < n:
        builder.household(n - len(builder.people))
    people = builder.people[:n]
    for person in people:
        adult_arab_man = person.language == "arabic" and person.sex == "M" and not person.minor
        if adult_arab_man and rng.random() < 0.02:
            person.given, person.family = ("Mohammed",), "Ali"
    return people
