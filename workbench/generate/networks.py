"""Planted networks (what detection must find) and decoys (what it must not).

A smuggling network is a smuggler, a hawala courier and a driver serving
8-40 otherwise unrelated clients: one phone, one alias in 2-3 spellings, one
route walked within a few days, one batch of forged passports, one plate.
A trafficking network is a few unknown men visiting unaccompanied minors in
several reception centres: one visitor phone, name variants, one car.

Decoys look like networks to a naive detector: a helpdesk number shared by
hundreds, the big azc everyone passes, a few very common names and aliases,
families that travel together. Members are *not* separable by construction:
they also get every ordinary record everybody else gets (see ``records``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from workbench.generate.forms import PhoneNumber, Weighted, new_phone, new_plate
from workbench.generate.names import FAMILY, GIVEN, Language, alias_for
from workbench.generate.population import ROUTES, Document, Person

__all__ = [
    "AZCS",
    "CARS",
    "HELPDESK_PHONE",
    "NOISE_ALIASES",
    "Decoys",
    "Facilitator",
    "Network",
    "Office",
    "Taxi",
    "azc_for",
    "plant_decoys",
    "plant_networks",
]

# Reception centres of 2015-16. Ter Apel is the hub every applicant passes;
# Heumensoord (Nijmegen) was the large emergency camp of that winter.
AZCS: tuple[str, ...] = (
    "azc Ter Apel", "azc Heumensoord", "azc Budel-Cranendonck", "azc Zeist", "azc Den Helder",
    "azc Gilze", "azc Oisterwijk", "azc Musselkanaal", "azc Dronten", "azc Almere",
    "azc Assen", "azc Leeuwarden", "azc Arnhem", "azc Amersfoort", "azc Utrecht",
    "azc Winterswijk", "azc Venlo", "azc Delfzijl", "azc Ede", "azc Rijswijk",
)  # fmt: skip
_AZC = Weighted(zip(AZCS, (30, 14, *([4] * (len(AZCS) - 2))), strict=True))

# An obviously fictitious line (Amsterdam numbers never start with 0 after
# the area code), valid under libphonenumber so that it becomes a hub node.
HELPDESK_PHONE = PhoneNumber("31", "200000000")
HELPDESK_NAME = "Juridische helpdesk (fictief)"

# Lawyers' offices: one per OFFICE_EVERY persons, each with a number that
# OFFICE_CLIENTS unrelated clients give as their representative's.
OFFICE_EVERY = 500
OFFICE_CLIENTS = (15, 45)
OFFICE_AREAS = ("20", "10", "70", "30", "40", "50")
OFFICE_NAMES = ("Van Dijk", "De Vries & Bakker", "Jansen", "Visser Meijer", "Smit", "Mulder")

# Taxi companies: one per TAXI_EVERY persons, TAXI_PASSENGERS travellers each.
TAXI_EVERY = 1000
TAXI_PASSENGERS = (12, 35)
TAXI_NAMES = ("Taxi Noord", "Grenstaxi", "Taxicentrale Oost", "Snel Vervoer", "Taxi Ter Apel")

# Kunyas that many unrelated smugglers go by: an alias alone is weak evidence.
NOISE_ALIASES: tuple[str, ...] = (
    "Abu Ali", "Abu Ahmad", "Abu Mohammed", "Abu Khaled", "Abu Hassan", "Abu Omar",
    "Abu Yusuf", "Abu Mahmoud", "Wedi Haile", "Wedi Tekle", "Kaptan", "de Koerd",
)  # fmt: skip

CARS = ("grijze Opel", "zwarte BMW", "witte Volkswagen Transporter", "blauwe Ford", "zilveren Audi")

NetworkType = Literal["smuggling", "trafficking"]


@dataclass(slots=True)
class Facilitator:
    """A smuggler, courier, driver or visitor; not an asylum applicant."""

    fid: str
    network: str
    role: str  # KMar facilitator roles: smokkelaar, geldkoerier, chauffeur, ronselaar
    aliases: tuple[str, ...]
    phone: PhoneNumber | None
    language: Language
    given: tuple[str, ...]
    family: str
    sex: str = "M"
    plate: str | None = None


@dataclass(slots=True)
class Network:
    """One planted network and the markers that tie its records together."""

    nid: str
    type: NetworkType
    members: list[str]
    facilitators: list[Facilitator]
    route: tuple[str, ...] = ()
    arrival: dt.date | None = None
    amount_eur: int = 0
    batch_country: str | None = None
    batch: dict[str, Document] = field(default_factory=dict)  # pid -> forged passport
    azcs: dict[str, str] = field(default_factory=dict)  # pid -> reception centre
    fid_base: int = 0  # facilitator ids continue from the previous network's
    car: str = ""  # what COA staff see of the car (trafficking)

    def role(self, role: str) -> Facilitator:
        return next(f for f in self.facilitators if f.role == role)

    @property
    def phones(self) -> list[str]:
        return [f.phone.e164 for f in self.facilitators if f.phone is not None]

    @property
    def plates(self) -> list[str]:
        plates = [f.plate for f in self.facilitators if f.plate is not None]
        return sorted(set(plates), key=plates.index)


@dataclass(slots=True)
class Office:
    """A lawyer's office (a *gemachtigde*): one phone number, many unrelated clients."""

    name: str
    phone: PhoneNumber
    clients: list[str]


@dataclass(slots=True)
class Taxi:
    """A taxi company that drives new arrivals from the border to the reception
    centre: one plate and one number in many unrelated travellers' KMar records."""

    name: str
    plate: str
    phone: PhoneNumber
    passengers: list[str]


@dataclass(slots=True)
class Decoys:
    """Who gets which decoy value (persons by id, in population order)."""

    helpdesk: list[str]
    common_name: list[str]
    offices: list[Office] = field(default_factory=list)
    taxis: list[Taxi] = field(default_factory=list)


def _facilitator(
    net: Network, role: str, language: Language, rng: random.Random, *, phone_country: str
) -> Facilitator:
    fac = Facilitator(
        fid=f"F{net.fid_base + len(net.facilitators) + 1:04d}",
        network=net.nid,
        role=role,
        aliases=alias_for(language, rng),
        phone=new_phone(phone_country, rng),
        language=language,
        given=(GIVEN[language]["M"][rng.randrange(len(GIVEN[language]["M"]))][0],),
        family=FAMILY[language][rng.randrange(len(FAMILY[language]))][0],
    )
    net.facilitators.append(fac)
    return fac


def _smuggling(
    net: Network, pool: list[Person], corridor: str, size: int, rng: random.Random
) -> None:
    balkan = corridor == "balkan"
    language: Language = "arabic" if balkan else "tigrinya"
    _facilitator(net, "smokkelaar", language, rng, phone_country="TUR" if balkan else "LBY")
    _facilitator(net, "geldkoerier", "arabic", rng, phone_country="TUR" if balkan else "SDN")
    driver = _facilitator(net, "chauffeur", "kurdish" if balkan else language, rng,
                          phone_country="DEU")  # fmt: skip
    driver.plate = new_plate(rng)
    net.arrival = dt.date(2015, 6, 1) + dt.timedelta(days=rng.randrange(200))
    key = "balkan_hun" if net.arrival < dt.date(2015, 9, 20) else "balkan_hrv"
    net.route = ROUTES[key][0] if balkan else rng.choice(ROUTES["central_med"])
    net.amount_eur = rng.choice((1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000))
    net.batch_country = "SYR" if balkan else "ERI"
    prefix = "N" if balkan else "P"
    serial = rng.randrange(100_000, 9_000_000)
    for _ in range(size):
        person = pool.pop()
        person.network = net.nid
        person.arrival = net.arrival + dt.timedelta(days=rng.randint(0, 4))
        person.route = (person.nationality if person.nationality != "XXA" else "SYR",
                        *net.route[1:])  # fmt: skip
        net.members.append(person.pid)
        if rng.random() < 0.4:  # one batch of forged passports: consecutive-ish numbers
            serial += rng.randint(1, 3)
            net.batch[person.pid] = Document("paspoort", f"{prefix}{serial:07d}", net.batch_country)


def _trafficking(net: Network, pool: list[Person], size: int, rng: random.Random) -> None:
    language: Language = "tigrinya" if rng.random() < 0.6 else "arabic"
    visitor = _facilitator(net, "ronselaar", language, rng, phone_country="NLD")
    driver = _facilitator(net, "chauffeur", language, rng, phone_country="NLD")
    driver.plate = new_plate(rng)
    visitor.plate = driver.plate
    net.car = rng.choice(CARS)
    centres = rng.sample(AZCS[1:], k=rng.randint(2, 4))
    net.amount_eur = rng.choice((5000, 8000, 12000, 20000, 35000))
    for _ in range(size):
        person = pool.pop()
        person.network = net.nid
        net.members.append(person.pid)
        net.azcs[person.pid] = rng.choice(centres)


def plant_networks(
    people: list[Person], rng: random.Random
) -> tuple[list[Network], list[Facilitator]]:
    """One network per ~250 persons (at least 3, at least one of each type).

    Smuggling clients are single adult travellers (a family's other members
    would otherwise be unplanted companions); trafficking victims are
    unaccompanied minors.
    """
    total = max(3, round(len(people) / 250))
    n_traff = max(1, round(total * 0.3))
    household_size: dict[str, int] = {}
    for p in people:
        household_size[p.household] = household_size.get(p.household, 0) + 1
    singles = [p for p in people if not p.minor and household_size[p.household] == 1]
    balkan = [p for p in singles if p.nationality in ("SYR", "XXA", "IRQ", "AFG", "IRN")]
    med = [p for p in singles if p.nationality in ("ERI", "ETH", "SOM", "SDN")]
    minors = [p for p in people if p.unaccompanied]
    for pool in (balkan, med, minors):
        rng.shuffle(pool)
    trafficking_at = {min(total - 1, 1 + k * total // n_traff) for k in range(n_traff)}
    networks: list[Network] = []
    fids = 0
    for index in range(total):
        nid = f"N{index + 1:02d}" if total < 100 else f"N{index + 1:03d}"
        kind: NetworkType = "trafficking" if index in trafficking_at else "smuggling"
        net = Network(nid, kind, [], [], fid_base=fids)
        if kind == "trafficking":
            size = min(rng.randint(4, 10), len(minors))
            if size < 2:
                continue
            _trafficking(net, minors, size, rng)
        else:
            corridor = "balkan" if rng.random() < 0.75 or len(med) < 8 else "med"
            pool = balkan if corridor == "balkan" else med
            size = min(rng.randint(8, 40), len(pool) // 2)
            if size < 3:
                continue
            _smuggling(net, pool, corridor, size, rng)
        networks.append(net)
        fids += len(net.facilitators)
    return networks, [f for n in networks for f in n.facilitators]


def plant_decoys(people: list[Person], rng: random.Random, networks: Sequence[Network]) -> Decoys:
    """Choose the ~5% who call the helpdesk; list the ``Mohammed Ali``s; give
    lawyers' offices their clients and taxi companies their passengers.

    An office's number, or a taxi's plate and phone, is shared by as many
    people as a network has but fewer than the detection's hub cap (50), so
    a naive detector builds a cluster around it: what an analyst dismisses at
    a glance, and judges ``benign`` (issue 18). A cautious KMar officer notes
    some taxi rides under the smuggling theme, so their clusters score like
    small networks. Clients and passengers are drawn from outside the planted
    networks, so a decoy's effect on finding them is measured on its own.
    """
    helpdesk = [
        p.pid for p in people if not (p.minor and p.dob.year > 2005) and rng.random() < 0.05
    ]
    common = [p.pid for p in people if p.given == ("Mohammed",) and p.family == "Ali"]
    planted = {m for net in networks for m in net.members}
    adults = [p.pid for p in people if not p.minor and p.pid not in planted]
    offices = []
    for k in range(max(1, len(people) // OFFICE_EVERY)):
        area = rng.choice(OFFICE_AREAS)
        phone = PhoneNumber("31", f"{area}{rng.randrange(2_000_000, 10_000_000)}")
        size = min(rng.randint(*OFFICE_CLIENTS), len(adults))
        offices.append(Office(f"{rng.choice(OFFICE_NAMES)} advocaten {k + 1} (fictief)", phone,
                              rng.sample(adults, size)))  # fmt: skip
    taxis = [
        Taxi(
            f"{rng.choice(TAXI_NAMES)} {k + 1} (fictief)",
            new_plate(rng),
            new_phone("NLD", rng),
            rng.sample(adults, min(rng.randint(*TAXI_PASSENGERS), len(adults))),
        )
        for k in range(max(1, len(people) // TAXI_EVERY))
    ]
    return Decoys(helpdesk=helpdesk, common_name=common, offices=offices, taxis=taxis)


def azc_for(rng: random.Random) -> str:
    """A reception centre, weighted towards the hubs."""
    return _AZC.pick(rng)
