"""Turning the population's lives into the four organisations' records.

Every person walks an ordinary trail (KMar ID lane at arrival, IND procedure,
sometimes COA observations, rarely the police). Network members walk the
same trail - which is what makes them hard to separate - and on top their
records carry the network's markers. Each ``Row`` remembers whom it is about
(``subject``, ``companions``, ``visitor``), which is what truth.json states.

Values are rendered per record through ``forms`` and ``names``, so the same
fact is written differently each time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any, Literal

from workbench.generate.forms import (
    PhoneNumber,
    Weighted,
    amount_nl,
    country_any,
    country_coa,
    country_dutch,
    date_dmy,
    dob_dmy,
    dob_ymd,
    iso_timestamp,
    new_phone,
    phone_form,
)
from workbench.generate.names import render_name, spell
from workbench.generate.networks import (
    HELPDESK_NAME,
    HELPDESK_PHONE,
    NOISE_ALIASES,
    Decoys,
    Facilitator,
    Network,
    Office,
    Taxi,
    azc_for,
)
from workbench.generate.population import Person

__all__ = ["COLUMNS", "ID_FIELD", "Row", "Source", "build_records"]

Source = Literal["politie", "kmar", "ind", "coa"]
SOURCES: tuple[Source, ...] = ("politie", "kmar", "ind", "coa")
ID_FIELD: dict[Source, str] = {
    "politie": "registratie_id",
    "kmar": "ref",
    "ind": "zaaknummer",
    "coa": "melding_nr",
}

COLUMNS: dict[str, tuple[str, ...]] = {
    "politie": (
        "registratie_id",
        "datum",
        "signaalsoort",
        "thema",
        "v_nummer",
        "achternaam",
        "voornaam",
        "geboortedatum",
        "nationaliteit",
        "geslacht",
        "telefoon",
        "document_type",
        "document_nummer",
        "document_land",
        "locatie",
        "facilitator",
        "omschrijving",
    ),
    "ind": (
        "zaaknummer",
        "v_nummer",
        "naam",
        "geboortedatum",
        "nationaliteit",
        "signaaldatum",
        "soort",
        "thema",
        "bron",
        "reisroute",
        "smokkelaar_naam",
        "smokkelaar_telefoon",
        "bedrag",
        "toelichting",
    ),
    "coa": (
        "melding_nr",
        "datum",
        "locatie",
        "v_nummer",
        "naam_bewoner",
        "geboortedatum",
        "nationaliteit",
        "soort",
        "thema",
        "indicatoren",
        "bezoeker_naam",
        "bezoeker_telefoon",
        "kenteken",
        "toelichting",
    ),
}


@dataclass(slots=True, eq=False)
class Row:
    """One record of one organisation, before it is written.

    ``data`` holds the columns (KMar: the JSON object) exactly as they will
    be written; ``subject`` is a person (``P...``) or facilitator (``F...``).
    """

    source: Source
    day: dt.date
    order: int  # minute of day (KMar) or creation order: a stable sort key
    subject: str
    data: dict[str, Any]
    companions: tuple[str, ...] = ()
    visitor: str | None = None
    network: str | None = None
    mistyped: tuple[str, str] | None = None  # (true V-number, written V-number)
    refer_to: Row | None = None  # KMar text citing another record's id as {ref}
    record_id: str = ""


_POSTS = Weighted(
    (
        ("ID-straat Ter Apel", 70),
        ("Schiphol Oost", 6),
        ("Grenspost Venlo", 6),
        ("Grenspost Zevenaar", 6),
        ("Grenspost Oldenzaal", 6),
        ("Grenspost Hazeldonk", 6),
    )
)
_VERDICT = Weighted((("echt", 90), ("onbekend", 9), ("look-alike", 1)))
_BRON = Weighted(
    (("gehoor", 50), ("identiteitsonderzoek", 25), ("documentonderzoek", 15), ("overig", 10))
)
_IND_COUNT = Weighted(((1, 75), (2, 20), (3, 5)))
_COA_COUNT = Weighted(((1, 70), (2, 22), (3, 8)))
_PLACES = (
    "Ter Apel",
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Nijmegen",
    "Zevenaar",
    "Venlo",
    "Groningen",
    "Arnhem",
    "Assen",
    "Zwolle",
    "Almere",
    "Emmen",
)
_BORDER = ("Venlo", "Zevenaar", "Oldenzaal", "Hazeldonk", "Nijmegen", "Bunde")
_SHOPS = ("een supermarkt", "een drogisterij", "het station", "een kledingwinkel")

_POLITIE_NOISE = (
    ("zacht", "Winkeldiefstal bij {shop} in {place}; verdachte verklaart in {azc} te verblijven."),
    ("hard", "Aangehouden na winkeldiefstal in {place}; identiteit vastgesteld via AVIM."),
    ("zacht", "Betrokken bij vechtpartij in {azc}; geen aangifte gedaan."),
    ("zacht", "Aangetroffen zonder geldig vervoersbewijs in trein richting {place}."),
    ("zacht", "Melding overlast in {place}; betrokkene was onder invloed."),
    ("zacht", "Doet aangifte van diefstal van telefoon in {place}."),
    ("zacht", "Controle AVIM in {place}: identiteit vastgesteld, geen bijzonderheden."),
)
_KMAR_NOISE = (
    None,
    None,
    None,
    "Meldt zich zonder documenten.",
    "Verklaart via Duitsland te zijn gereisd.",
    "Paspoort gecontroleerd, geen bijzonderheden.",
    "Eerder geregistreerd in {country} (Eurodac-treffer).",
    "Telefoon bekeken met toestemming; geen bijzonderheden.",
)
_IND_NOISE = (
    "Verklaringen over reisroute consistent.",
    "Twijfel aan opgegeven leeftijd; leeftijdsonderzoek aangevraagd.",
    "Identiteitsdocument niet overgelegd; verklaart het onderweg kwijt te zijn geraakt.",
    "Verklaart samen met familie te zijn gereisd.",
    "Eurodac-treffer {country}; Dublin-claim wordt onderzocht.",
    "Verklaringen over herkomst aannemelijk – taalanalyse niet nodig.",
    "Verklaart onderweg in een café in {city} te hebben gewacht op vervoer.",
    "Geen bijzonderheden tijdens het gehoor.",
)
_IND_CITIES = ("Istanboel", "Izmir", "Khartoum", "Tripoli", "Athene", "Boedapest", "Wenen")
_COA_NOISE = (
    ("", "Bewoner verhuisd naar {azc}."),
    ("", "Klacht over maaltijden; besproken met locatiemanager."),
    ("", "Ruzie met kamergenoot; opgelost na gesprek."),
    ("", "Bewoner doet vrijwilligerswerk op de locatie."),
    ("", "Bewoner meldt zich ziek; doorverwezen naar GZA."),
    ("GELD_OVERMAKEN", "Bewoner maakt geld over naar familie in {country}."),
    ("ANGST", "Bewoner oogt angstig en slaapt slecht; doorverwezen naar GZA."),
    ("WERK_ZWART", "Bewoner is overdag vaak afwezig; zegt te werken."),
)
_TRAFFICKING_SIGNS = (
    "BEZOEK_ONBEKENDE",
    "OPGEHAALD_AUTO",
    "SCHULD",
    "GEEN_EIGEN_TELEFOON",
    "ANGST",
)


def _imei(rng: random.Random) -> str:
    """A 15-digit IMEI with a valid Luhn check digit."""
    body = "35" + "".join(str(rng.randrange(10)) for _ in range(12))
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return body + str((10 - total % 10) % 10)


def mistype(v_number: str, rng: random.Random) -> str:
    """One digit changed, or two adjacent different digits swapped."""
    if rng.random() < 0.5:
        i = rng.randrange(len(v_number) - 1)
        if v_number[i] != v_number[i + 1]:
            return v_number[:i] + v_number[i + 1] + v_number[i] + v_number[i + 2 :]
    i = rng.randrange(1, len(v_number))
    digit = str((int(v_number[i]) + rng.randint(1, 9)) % 10)
    return v_number[:i] + digit + v_number[i + 1 :]


class _Builder:
    """Holds the random stream and the growing list of rows."""

    def __init__(
        self,
        people: list[Person],
        facilitators: list[Facilitator],
        rng: random.Random,
        valid_v: set[str],
    ) -> None:
        self.rng = rng
        self.people = people
        self.by_id = {p.pid: p for p in people}
        self.facilitators = {f.fid: f for f in facilitators}
        self.rows: list[Row] = []
        self.by_person: dict[str, list[Row]] = {}
        self.forged: dict[str, list[Row]] = {}  # network -> KMar records of its batch
        self.valid_v = valid_v
        self.households: dict[str, list[Person]] = {}
        for p in people:
            self.households.setdefault(p.household, []).append(p)

    # -- shared rendering ---------------------------------------------------

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        self.by_person.setdefault(row.subject, []).append(row)
        return row

    def records_of(self, pid: str, source: Source) -> list[Row]:
        """The person's rows of one organisation, in the order they were made."""
        return [r for r in self.by_person.get(pid, []) if r.source == source]

    def v_number(self, person: Person, p_present: float) -> tuple[str, tuple[str, str] | None]:
        """The V-number as written (maybe absent, now and then mistyped)."""
        if person.v_number is None or self.rng.random() >= p_present:
            return "", None
        if self.rng.random() < 0.012:
            written = mistype(person.v_number, self.rng)
            if written not in self.valid_v:
                return written, (person.v_number, written)
        return person.v_number, None

    def phones(self, person: Person) -> str:
        return "|".join(phone_form(p, self.rng) for p in person.phones if self.rng.random() < 0.8)

    def row(
        self,
        source: Source,
        day: dt.date,
        subject: str,
        data: dict[str, Any],
        mistyped: tuple[str, str] | None = None,
    ) -> Row:
        """A new row, added; ordered by creation within its day."""
        row = Row(source, day, len(self.rows), subject, data, mistyped=mistyped)
        return self.add(row)

    # -- one record per organisation -----------------------------------------

    def politie(self, person: Person, day: dt.date, kind: str, theme: str, text: str) -> Row:
        rng = self.rng
        surname, given = render_name(person.given, person.family, rng, "politie")
        v, bad = self.v_number(person, 0.3)
        doc = person.documents[0] if person.documents and rng.random() < 0.5 else None
        data = {
            "registratie_id": "",
            "datum": day.isoformat(),
            "signaalsoort": kind,
            "thema": theme,
            "v_nummer": v,
            "achternaam": surname,
            "voornaam": given,
            "geboortedatum": dob_ymd(person.dob, person.dob_year_only, rng)
            if rng.random() < 0.9
            else "",
            "nationaliteit": country_any(person.nationality, rng),
            "geslacht": person.sex,
            "telefoon": self.phones(person),
            "document_type": doc.type if doc else "",
            "document_nummer": _doc_number(doc.number, rng) if doc else "",
            "document_land": country_any(doc.country, rng) if doc else "",
            "locatie": rng.choice(_PLACES),
            "facilitator": "",
            "omschrijving": text,
        }
        return self.row("politie", day, person.pid, data, bad)

    def kmar(self, person: Person, when: dt.date) -> Row:
        rng = self.rng
        v, bad = self.v_number(person, 0.45)
        minute = rng.randint(7 * 60, 22 * 60)
        members = [m for m in self.households[person.household] if m is not person]
        mates = members if rng.random() < 0.9 else members[:-1]
        text = rng.choice(_KMAR_NOISE)
        data: dict[str, Any] = {
            "ref": "",
            "tijdstip": iso_timestamp(when, minute),
            "post": "Schiphol Oost" if len(person.route) == 2 else _POSTS.pick(rng),
            "signaal": {
                "soort": "zacht",
                "thema": "overig",
                "toelichting": text.format(country=country_dutch(rng.choice(person.route[1:-1])))
                if text and len(person.route) > 2
                else None,
            },
            "persoon": {
                "naam": render_name(person.given, person.family, rng, "kmar")[0],
                "geboortedatum": dob_ymd(person.dob, person.dob_year_only, rng)
                if rng.random() < 0.95
                else None,
                "nationaliteit": country_any(person.nationality, rng),
                "geslacht": person.sex if rng.random() < 0.97 else "O",
                "v_nummer": v or None,
            },
            "documenten": [
                {
                    "type": d.type,
                    "nummer": _doc_number(d.number, rng),
                    "land": country_any(d.country, rng),
                    "beoordeling": _VERDICT.pick(rng),
                }
                for d in person.documents
            ],
            "reisroute": [country_any(c, rng) if rng.random() < 0.2 else c for c in person.route]
            if rng.random() < 0.9
            else [],
            "aankomstdatum": person.arrival.isoformat() if rng.random() < 0.85 else None,
            "reisgenoten": [
                {
                    "naam": render_name(m.given, m.family, rng, "companion")[0],
                    "geboortedatum": dob_ymd(m.dob, m.dob_year_only, rng),
                }
                for m in mates
            ],
            "telefoons": [
                {"nummer": phone_form(p, rng), "imei": _imei(rng) if rng.random() < 0.4 else None}
                for p in person.phones
                if p.cc != "31"
            ],
            "facilitator": None,
        }
        companions = tuple(m.pid for m in mates)
        return self.add(Row("kmar", when, minute, person.pid, data, companions, mistyped=bad))

    def ind(self, person: Person, day: dt.date, text: str, *, theme: str = "overig") -> Row:
        rng = self.rng
        v, bad = self.v_number(person, 0.9)
        data = {
            "zaaknummer": "",
            "v_nummer": v,
            "naam": render_name(person.given, person.family, rng, "ind")[0],
            "geboortedatum": dob_dmy(person.dob, person.dob_year_only, rng)
            if rng.random() < 0.93
            else "",
            "nationaliteit": country_dutch(person.nationality),
            "signaaldatum": date_dmy(day),
            "soort": "zacht",
            "thema": theme,
            "bron": _BRON.pick(rng),
            "reisroute": " - ".join(country_dutch(c) for c in person.route)
            if rng.random() < 0.8
            else "",
            "smokkelaar_naam": "",
            "smokkelaar_telefoon": "",
            "bedrag": "",
            "toelichting": text,
        }
        return self.row("ind", day, person.pid, data, bad)

    def coa(
        self,
        person: Person,
        day: dt.date,
        azc: str,
        indicators: list[str],
        text: str,
        *,
        theme: str = "overig",
    ) -> Row:
        rng = self.rng
        v, bad = self.v_number(person, 0.85)
        dob: Any = ""
        roll = rng.random()
        if roll < 0.35 and not person.dob_year_only:
            dob = dt.datetime(person.dob.year, person.dob.month, person.dob.day)
        elif roll < 0.9:
            dob = dob_dmy(person.dob, person.dob_year_only, rng)
        data = {
            "melding_nr": "",
            "datum": dt.datetime(day.year, day.month, day.day)
            if rng.random() < 0.6
            else date_dmy(day),
            "locatie": azc,
            "v_nummer": int(v) if v and rng.random() < 0.3 else v,
            "naam_bewoner": render_name(person.given, person.family, rng, "coa")[0],
            "geboortedatum": dob,
            "nationaliteit": country_coa(person.nationality, rng),
            "soort": "zacht",
            "thema": theme,
            "indicatoren": ";".join(indicators),
            "bezoeker_naam": "",
            "bezoeker_telefoon": "",
            "kenteken": "",
            "toelichting": text,
        }
        return self.row("coa", day, person.pid, data, bad)

    # -- the ordinary trail ---------------------------------------------------

    def trail(self, person: Person) -> None:
        """KMar at arrival (most), IND (most), COA (some), Politie (few)."""
        rng = self.rng
        age = person.arrival.year - person.dob.year
        if rng.random() < (0.5 if age < 12 else 0.88):
            kmar = self.kmar(person, person.arrival + dt.timedelta(days=rng.choice((0, 0, 1, 2))))
            if age >= 18 and rng.random() < 0.05:
                kmar.data["facilitator"] = {
                    "alias": rng.choice(NOISE_ALIASES),
                    "telefoon": phone_form(new_phone("TUR", rng), rng)
                    if rng.random() < 0.4
                    else None,
                    "rol": rng.choice(("smokkelaar", "smokkelaar", "onbekend")),
                    "bedrag_eur": rng.choice((1000, 1500, 2000, 3000))
                    if rng.random() < 0.5
                    else None,
                    "betaalwijze": rng.choice(("contant", "hawala", None)),
                }
        if rng.random() < (0.6 if age < 12 else 0.93):
            day = person.arrival + dt.timedelta(days=rng.randint(3, 60))
            for _ in range(_IND_COUNT.pick(rng)):
                text = rng.choice(_IND_NOISE).format(
                    country=country_dutch(rng.choice(person.route[1:-1] or ("ITA",))),
                    city=rng.choice(_IND_CITIES),
                )
                row = self.ind(person, day, text)
                if age >= 18 and rng.random() < 0.1:
                    self.noise_smuggler(row)
                day += dt.timedelta(days=rng.randint(10, 150))
        if rng.random() < 0.35:
            azc = azc_for(rng)
            day = person.arrival + dt.timedelta(days=rng.randint(2, 40))
            for _ in range(_COA_COUNT.pick(rng)):
                indicator, text = rng.choice(_COA_NOISE)
                row = self.coa(
                    person,
                    day,
                    azc,
                    [indicator] if indicator else [],
                    text.format(azc=azc_for(rng), country=country_dutch(person.route[0])),
                )
                if rng.random() < 0.05:
                    self.relative_visit(row, person)
                day += dt.timedelta(days=rng.randint(7, 120))
        if age >= 16 and rng.random() < 0.06:
            kind, template = rng.choice(_POLITIE_NOISE)
            day = person.arrival + dt.timedelta(days=rng.randint(5, 300))
            text = template.format(
                shop=rng.choice(_SHOPS), place=rng.choice(_PLACES), azc=azc_for(rng)
            )
            self.politie(person, day, kind, "overig", text)

    def noise_smuggler(self, row: Row) -> None:
        """An applicant names a smuggler nobody else names: a common kunya,
        a number of their own. Realistic noise that must not become a network."""
        rng = self.rng
        row.data["thema"] = "mensensmokkel"
        row.data["smokkelaar_naam"] = rng.choice(NOISE_ALIASES)
        if rng.random() < 0.5:
            phone = new_phone(rng.choice(("TUR", "LBY", "GRC")), rng)
            row.data["smokkelaar_telefoon"] = phone_form(phone, rng)
        if rng.random() < 0.6:
            row.data["bedrag"] = amount_nl(rng.choice((800, 1200, 1500, 2000, 2500, 3000)))

    def relative_visit(self, row: Row, person: Person) -> None:
        """A visit by another applicant (a cousin, a friend): a real person."""
        rng = self.rng
        other = self.people[rng.randrange(len(self.people))]
        if other is person or other.minor:
            return
        row.data["bezoeker_naam"] = render_name(other.given, other.family, rng, "coa")[0]
        if other.phones:
            row.data["bezoeker_telefoon"] = phone_form(other.phones[-1], rng)
        row.data["toelichting"] = "Bewoner krijgt bezoek van een neef uit een andere locatie."
        row.visitor = other.pid

    # -- planted networks -------------------------------------------------------

    def smuggling(self, net: Network) -> None:
        """Clients name the smuggler or courier (KMar, IND), show passports of
        one forged batch (KMar), meet the driver (COA, police); the driver is
        arrested with the smuggler's number in his phone (police, hard)."""
        rng = self.rng
        smuggler, courier, driver = (
            net.role(r) for r in ("smokkelaar", "geldkoerier", "chauffeur")
        )
        police_left = 3  # a few clients are also met by the police
        for pid in net.members:
            person = self.by_id[pid]
            kmar = next(iter(self.records_of(pid, "kmar")), None)
            if kmar is None and rng.random() < 0.7:
                kmar = self.kmar(person, person.arrival + dt.timedelta(days=rng.choice((0, 1))))
            linked = kmar is not None and self.smuggling_kmar(net, kmar, smuggler, courier)
            if rng.random() < 0.6 or not linked:
                self.smuggling_ind(net, person, smuggler, courier, driver)
            if rng.random() < 0.12:
                self.smuggling_coa(net, person, courier, driver)
            if police_left and rng.random() < 0.08:
                police_left -= 1
                border = rng.choice(_BORDER)
                text = (
                    f"Aangetroffen bij {border} na uitstappen uit busje {driver.plate}; verklaart "
                    f"dat de reis via {rng.choice(smuggler.aliases)} "
                    f"({phone_form(_phone(smuggler), rng)}) is geregeld."
                )
                day = person.arrival + dt.timedelta(days=rng.randint(0, 2))
                row = self.politie(person, day, "zacht", "mensensmokkel", text)
                row.data["locatie"] = border
                row.data["facilitator"] = rng.choice(smuggler.aliases)
                row.network = net.nid
        self.cite_first_forged(net)
        assert net.arrival is not None
        arrested = net.arrival + dt.timedelta(days=rng.randint(0, 6))
        text = (
            f"Aangehouden als bestuurder van busje {driver.plate} met "
            f"{min(len(net.members), rng.randint(6, 12))} personen zonder papieren; "
            f"in telefoon staat nummer {phone_form(_phone(smuggler), rng)} "
            f"opgeslagen als '{rng.choice(smuggler.aliases)}'."
        )
        row = self.politie_facilitator(driver, arrested, "hard", "mensensmokkel", text)
        row.data["facilitator"] = rng.choice(smuggler.aliases)
        row.data["locatie"] = rng.choice(_BORDER)
        row.network = net.nid

    def smuggling_kmar(
        self, net: Network, kmar: Row, smuggler: Facilitator, courier: Facilitator
    ) -> bool:
        """Add the facilitator block and/or the forged passport to a client's
        KMar record; True if it now carries a network marker."""
        rng = self.rng
        signal = kmar.data["signaal"]
        if rng.random() < 0.6:
            fac = smuggler if rng.random() < 0.8 else courier
            kmar.data["facilitator"] = {
                "alias": rng.choice(fac.aliases),
                "telefoon": phone_form(_phone(fac), rng) if rng.random() < 0.7 else None,
                "rol": fac.role,
                "bedrag_eur": net.amount_eur + rng.choice((0, 0, -500, 500)),
                "betaalwijze": "hawala" if rng.random() < 0.8 else "contant",
            }
            signal["thema"] = "mensensmokkel"
            signal["toelichting"] = (
                f"Verklaart met een groep van ongeveer {len(net.members)} personen te zijn gereisd."
            )
            kmar.network = net.nid
        doc = net.batch.get(kmar.subject)
        if doc is not None:
            verdict = rng.choice(("vals", "vervalst"))
            kmar.data["documenten"] = [
                {
                    "type": doc.type,
                    "nummer": _doc_number(doc.number, rng),
                    "land": country_any(doc.country, rng),
                    "beoordeling": verdict,
                }
            ]
            signal.update(soort="hard", thema="mensensmokkel")
            signal["toelichting"] = f"Paspoort {verdict} bevonden; afwijkende drukfout."
            self.forged.setdefault(net.nid, []).append(kmar)
            kmar.network = net.nid
        return kmar.network is not None

    def cite_first_forged(self, net: Network) -> None:
        """Later finds of the batch cite the first (``{ref}`` becomes its id)."""
        batch = sorted(self.forged.get(net.nid, []), key=lambda r: (r.day, r.order))
        for row in batch[1:]:
            verdict = row.data["documenten"][0]["beoordeling"]
            row.data["signaal"]["toelichting"] = (
                f"Paspoort {verdict} bevonden; zelfde drukfout als {{ref}}."
            )
            row.refer_to = batch[0]

    def smuggling_ind(
        self,
        net: Network,
        person: Person,
        smuggler: Facilitator,
        courier: Facilitator,
        driver: Facilitator,
    ) -> None:
        rng = self.rng
        day = person.arrival + dt.timedelta(days=rng.randint(10, 90))
        alias = rng.choice(smuggler.aliases)
        courier_alias = rng.choice(courier.aliases)
        leg = f"{country_dutch(net.route[1])} naar {country_dutch(net.route[2])}"
        text = rng.choice(
            (
                f"Verklaart dat de overtocht van {leg} werd geregeld door {alias}.",
                f"Betaalde € {_euros(net.amount_eur)} aan {alias}; contact via WhatsApp.",
                f"Noemt {alias} als organisator; betaald via hawala bij '{courier_alias}'.",
                f'Reisde op aanwijzing van een man met alias "{alias}".',
                f"Werd in Duitsland opgehaald door een busje met kenteken {driver.plate}.",
            )
        )
        row = self.ind(person, day, text, theme="mensensmokkel")
        row.data["bron"] = "gehoor"
        row.data["smokkelaar_naam"] = alias if rng.random() < 0.85 else ""
        if rng.random() < 0.6:
            row.data["smokkelaar_telefoon"] = phone_form(_phone(smuggler), rng)
        if rng.random() < 0.7:
            row.data["bedrag"] = amount_nl(net.amount_eur)
        row.network = net.nid

    def smuggling_coa(
        self, net: Network, person: Person, courier: Facilitator, driver: Facilitator
    ) -> None:
        rng = self.rng
        day = person.arrival + dt.timedelta(days=rng.randint(20, 150))
        if rng.random() < 0.5:
            text = (
                f"Maakt maandelijks geld over via {rng.choice(courier.aliases)} "
                f"({phone_form(_phone(courier), rng)}) om een schuld voor de reis af te lossen."
            )
            row = self.coa(
                person, day, azc_for(rng), ["GELD_OVERMAKEN", "SCHULD"], text, theme="mensensmokkel"
            )
        else:
            text = (
                "Vertelt bij aankomst door een busje te zijn afgezet; chauffeur kwam later terug."
            )
            row = self.coa(
                person, day, azc_for(rng), ["BEZOEK_ONBEKENDE"], text, theme="mensensmokkel"
            )
            row.data["kenteken"] = driver.plate
            row.data["bezoeker_naam"] = rng.choice(driver.aliases)
            row.visitor = driver.fid
        row.network = net.nid

    def politie_facilitator(
        self, fac: Facilitator, day: dt.date, kind: str, theme: str, text: str
    ) -> Row:
        rng = self.rng
        surname, given = render_name(fac.given, fac.family, rng, "politie")
        data = {
            "registratie_id": "",
            "datum": day.isoformat(),
            "signaalsoort": kind,
            "thema": theme,
            "v_nummer": "",
            "achternaam": surname,
            "voornaam": given,
            "geboortedatum": "",
            "nationaliteit": country_any(
                "SYR"
                if fac.language == "arabic"
                else "IRQ"
                if fac.language == "kurdish"
                else "ERI",
                rng,
            ),
            "geslacht": fac.sex,
            "telefoon": phone_form(_phone(fac), rng),
            "document_type": "rijbewijs" if fac.role == "chauffeur" else "",
            "document_nummer": "",
            "document_land": "",
            "locatie": rng.choice(_PLACES),
            "facilitator": "",
            "omschrijving": text,
        }
        return self.row("politie", day, fac.fid, data)

    def trafficking(self, net: Network) -> None:
        """Victims observed in several azc's with the same visitors, phone and
        car (COA), some telling the IND of a debt; the police find one victim
        (hard) and sometimes stop the car."""
        rng = self.rng
        visitor, driver = net.role("ronselaar"), net.role("chauffeur")
        for pid in net.members:
            person = self.by_id[pid]
            day = person.arrival + dt.timedelta(days=rng.randint(10, 40))
            n_obs = rng.randint(2, 4)
            for i in range(n_obs):
                self.trafficking_coa(net, person, day, last=i == n_obs - 1)
                day += dt.timedelta(days=rng.randint(5, 40))
            if rng.random() < 0.4:
                alias = rng.choice(visitor.aliases)
                text = (
                    f"Verklaart een schuld van € {_euros(net.amount_eur)} te hebben bij {alias}; "
                    "moet deze afbetalen door te werken."
                )
                row = self.ind(person, day, text, theme="mensenhandel")
                row.data["bron"] = "gehoor"
                row.network = net.nid
        victim = self.by_id[net.members[0]]
        day = victim.arrival + dt.timedelta(days=rng.randint(40, 90))
        text = (
            f"Minderjarige aangetroffen in woning in {rng.choice(_PLACES)} tijdens controle; "
            f"aanwezige man noemde zich '{rng.choice(visitor.aliases)}', telefoon "
            f"{phone_form(_phone(visitor), rng)}."
        )
        row = self.politie(victim, day, "hard", "mensenhandel", text)
        row.data["facilitator"] = rng.choice(visitor.aliases)
        row.network = net.nid
        if rng.random() < 0.6:
            text = (
                f"Voertuig {driver.plate} gecontroleerd bij {net.azcs[net.members[-1]]}; "
                "bestuurder vervoerde twee minderjarige bewoners zonder toestemming."
            )
            row = self.politie_facilitator(
                driver, day + dt.timedelta(days=rng.randint(3, 30)), "hard", "mensenhandel", text
            )
            row.network = net.nid

    def trafficking_coa(self, net: Network, person: Person, day: dt.date, *, last: bool) -> None:
        rng = self.rng
        visitor, driver = net.role("ronselaar"), net.role("chauffeur")
        signs = ["MINDERJARIG", *rng.sample(_TRAFFICKING_SIGNS, k=rng.randint(1, 3))]
        if rng.random() < 0.35:
            signs.append("SEKSUELE_UITBUITING" if person.sex == "V" else "WERK_ZWART")
        missing = last and rng.random() < 0.4
        if missing:
            signs = ["VERMIST", "MINDERJARIG"]
        text = _trafficking_text(signs, visitor, net, day, rng)
        row = self.coa(person, day, net.azcs[person.pid], signs, text, theme="mensenhandel")
        row.network = net.nid
        roll = rng.random()
        fac = visitor if roll < 0.6 else driver if roll < 0.85 else None
        if fac is not None and not missing:
            row.data["bezoeker_naam"] = _visitor_name(fac, rng)
            if rng.random() < 0.75:
                row.data["bezoeker_telefoon"] = phone_form(_phone(fac), rng)
            if fac is driver or rng.random() < 0.3:
                row.data["kenteken"] = driver.plate
            row.visitor = fac.fid

    # -- decoys -------------------------------------------------------------------

    def helpdesk(self, person: Person) -> None:
        """The helpdesk number enters the person's records, as contacts do."""
        rng = self.rng
        written = phone_form(HELPDESK_PHONE, rng)
        ind = self.records_of(person.pid, "ind")
        if ind and rng.random() < 0.6:
            row = ind[-1]
            row.data["toelichting"] += f" Heeft contact met {HELPDESK_NAME} ({written})."
            return
        day = person.arrival + dt.timedelta(days=rng.randint(5, 60))
        row = self.coa(
            person, day, azc_for(rng), [], "Bewoner heeft hulp gevraagd bij de juridische helpdesk."
        )
        row.data["bezoeker_naam"] = HELPDESK_NAME
        row.data["bezoeker_telefoon"] = written

    def office(self, person: Person, office: Office, rng: random.Random) -> bool:
        """The office's number in the person's last IND record, as the
        representative's; False when the person never applied (no IND record)."""
        ind = self.records_of(person.pid, "ind")
        if not ind:
            return False
        written = phone_form(office.phone, rng)
        ind[-1].data["toelichting"] += f" Gemachtigde: {office.name}, tel. {written}."
        return True

    def taxi(self, person: Person, taxi: Taxi, rng: random.Random) -> bool:
        """The ride in the passenger's first KMar record, a third of them noted as
        possible smuggling; False when the person has no KMar record outside a network."""
        kmar = next(iter(self.records_of(person.pid, "kmar")), None)
        if kmar is None or kmar.network is not None:
            return False
        signal = kmar.data["signaal"]
        ride = (
            f"Per taxi naar het aanmeldcentrum gebracht door {taxi.name}, kenteken {taxi.plate}, "
            f"chauffeur tel. {phone_form(taxi.phone, rng)}."
        )
        signal["toelichting"] = f"{signal['toelichting']} {ride}" if signal["toelichting"] else ride
        if rng.random() < 0.35:
            signal["thema"] = "mensensmokkel"
        return True


def _phone(fac: Facilitator) -> PhoneNumber:
    assert fac.phone is not None
    return fac.phone


def _euros(amount: int) -> str:
    """``3.500``: Dutch thousands dots, as free text writes amounts."""
    return f"{amount:,}".replace(",", ".")


def _doc_number(number: str, rng: random.Random) -> str:
    """``N0123456`` or ``N 0123456``: the same document written two ways."""
    return f"{number[0]} {number[1:]}" if rng.random() < 0.3 else number


def _visitor_name(fac: Facilitator, rng: random.Random) -> str:
    given, family = spell(fac.given[0], rng), spell(fac.family, rng)
    return rng.choice(
        (
            given,
            f"{given} {family}",
            f"{given} {family[0]}.",
            f"{family.upper()} {given}",
            rng.choice(fac.aliases),
        )
    )


def _trafficking_text(
    signs: list[str], visitor: Facilitator, net: Network, day: dt.date, rng: random.Random
) -> str:
    alias = rng.choice(visitor.aliases)
    if "VERMIST" in signs:
        return f"Sinds {day.day} {_MONTHS[day.month - 1]} niet meer op locatie."
    parts = []
    if "OPGEHAALD_AUTO" in signs:
        parts.append(f"Wordt 's avonds opgehaald door onbekende man in {net.car}.")
    if "BEZOEK_ONBEKENDE" in signs:
        parts.append("Krijgt regelmatig bezoek van onbekende volwassen mannen.")
    if "SCHULD" in signs:
        parts.append(f"Spreekt over een schuld van {_euros(net.amount_eur)} euro aan '{alias}'.")
    if "GEEN_EIGEN_TELEFOON" in signs:
        parts.append(f"Telefoon wordt beheerd door '{alias}'.")
    if "ANGST" in signs:
        parts.append("Oogt angstig en wil niet praten over de bezoekers.")
    return " ".join(parts) or "Zorgen over contacten buiten de locatie."


_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def build_records(
    people: list[Person],
    networks: list[Network],
    facilitators: list[Facilitator],
    decoys: Decoys,
    rng: random.Random,
    decoys_rng: random.Random,
) -> list[Row]:
    """All rows of all four organisations, ids assigned, in date order per source.

    Lawyers' offices and taxis draw from ``decoys_rng``, so that adding them
    left every other record as it was.
    """
    valid_v = {p.v_number for p in people if p.v_number}
    builder = _Builder(people, facilitators, rng, valid_v)
    for person in people:
        builder.trail(person)
    for net in networks:
        if net.type == "smuggling":
            builder.smuggling(net)
        else:
            builder.trafficking(net)
    for pid in decoys.helpdesk:
        builder.helpdesk(builder.by_id[pid])
    for office in decoys.offices:
        office.clients = [
            p for p in office.clients if builder.office(builder.by_id[p], office, decoys_rng)
        ]
    for taxi in decoys.taxis:
        taxi.passengers = [
            p for p in taxi.passengers if builder.taxi(builder.by_id[p], taxi, decoys_rng)
        ]
    return assign_ids(builder.rows, rng)


_ID_START: dict[Source, int] = {"politie": 100, "kmar": 1000, "ind": 70000, "coa": 50000}


def assign_ids(rows: list[Row], rng: random.Random) -> list[Row]:
    """Number records per source in date order (with the gaps of records
    that were never exported) and resolve ``{ref}`` citations."""
    ordered = sorted(rows, key=lambda r: (SOURCES.index(r.source), r.day, r.order))
    counters = dict(_ID_START)
    for row in ordered:
        counters[row.source] += rng.randint(1, 4)
        n, year = counters[row.source], row.day.year
        row.record_id = {
            "politie": f"PL-{year}-{n:06d}",
            "kmar": f"KM-{year}-{n:06d}",
            "ind": f"IND-{n}",
            "coa": f"COA-{n}",
        }[row.source]
        row.data[ID_FIELD[row.source]] = row.record_id
    for row in ordered:
        if row.refer_to is not None:
            signal = row.data["signaal"]
            signal["toelichting"] = signal["toelichting"].replace("{ref}", row.refer_to.record_id)
    return ordered
