"""How values are *written*: countries, phones, dates, plates and documents.

The partners write one fact in many forms (``SYR``/``SY``/``Syrië``/``Syrian
Arab Republic``; ``+31 6 12345678``/``06-12345678``). The population holds
each fact once, canonically (alpha-3, E.164, ``datetime.date``); this module
renders it the way one organisation might have typed it in one record, so
that entity resolution has real variation to undo and the truth still knows
the one value behind it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = [
    "COUNTRIES",
    "PHONE_PREFIXES",
    "Country",
    "PhoneNumber",
    "Weighted",
    "amount_nl",
    "country_any",
    "country_coa",
    "country_dutch",
    "date_dmy",
    "dob_dmy",
    "dob_ymd",
    "iso_timestamp",
    "new_phone",
    "new_plate",
    "phone_form",
]


@dataclass(frozen=True, slots=True)
class Country:
    """The written forms of one country (empty alpha-2: none exists)."""

    alpha2: str
    dutch: str
    english: str
    official: str


# alpha-3 -> forms. English official names as in ISO 3166 / pycountry.
COUNTRIES: dict[str, Country] = {
    "SYR": Country("SY", "Syrië", "Syria", "Syrian Arab Republic"),
    "ERI": Country("ER", "Eritrea", "Eritrea", "Eritrea"),  # ISO: "the State of Eritrea"
    "XXA": Country("", "Staatloos", "Stateless", "Stateless"),
    "IRQ": Country("IQ", "Irak", "Iraq", "Republic of Iraq"),
    "AFG": Country("AF", "Afghanistan", "Afghanistan", "Islamic Republic of Afghanistan"),
    "IRN": Country("IR", "Iran", "Iran", "Islamic Republic of Iran"),
    "SOM": Country("SO", "Somalië", "Somalia", "Federal Republic of Somalia"),
    "ETH": Country("ET", "Ethiopië", "Ethiopia", "Federal Democratic Republic of Ethiopia"),
    "SDN": Country("SD", "Soedan", "Sudan", "Republic of the Sudan"),
    "LBY": Country("LY", "Libië", "Libya", "Libya"),
    "PAK": Country("PK", "Pakistan", "Pakistan", "Islamic Republic of Pakistan"),
    "MAR": Country("MA", "Marokko", "Morocco", "Kingdom of Morocco"),
    "DZA": Country("DZ", "Algerije", "Algeria", "People's Democratic Republic of Algeria"),
    "EGY": Country("EG", "Egypte", "Egypt", "Arab Republic of Egypt"),
    "YEM": Country("YE", "Jemen", "Yemen", "Republic of Yemen"),
    "LBN": Country("LB", "Libanon", "Lebanon", "Lebanese Republic"),
    "JOR": Country("JO", "Jordanië", "Jordan", "Hashemite Kingdom of Jordan"),
    "TUR": Country("TR", "Turkije", "Turkey", "Republic of Türkiye"),
    "GRC": Country("GR", "Griekenland", "Greece", "Hellenic Republic"),
    "MKD": Country("MK", "Macedonië", "Macedonia", "Republic of North Macedonia"),
    "SRB": Country("RS", "Servië", "Serbia", "Republic of Serbia"),
    "HUN": Country("HU", "Hongarije", "Hungary", "Hungary"),
    "HRV": Country("HR", "Kroatië", "Croatia", "Republic of Croatia"),
    "SVN": Country("SI", "Slovenië", "Slovenia", "Republic of Slovenia"),
    "AUT": Country("AT", "Oostenrijk", "Austria", "Republic of Austria"),
    "DEU": Country("DE", "Duitsland", "Germany", "Federal Republic of Germany"),
    "NLD": Country("NL", "Nederland", "Netherlands", "Kingdom of the Netherlands"),
    "ITA": Country("IT", "Italië", "Italy", "Italian Republic"),
    "FRA": Country("FR", "Frankrijk", "France", "French Republic"),
    "CHE": Country("CH", "Zwitserland", "Switzerland", "Swiss Confederation"),
    "BEL": Country("BE", "België", "Belgium", "Kingdom of Belgium"),
    "ESP": Country("ES", "Spanje", "Spain", "Kingdom of Spain"),
}


def country_any(code: str, rng: random.Random) -> str:
    """Any form (Politie, KMar): mostly alpha-3, then Dutch, alpha-2, English."""
    c = COUNTRIES[code]
    roll = rng.random()
    if roll < 0.45:
        return code
    if roll < 0.70:
        return c.dutch
    if roll < 0.82 and c.alpha2:
        return c.alpha2
    if roll < 0.94:
        return c.english
    return c.official


def country_dutch(code: str) -> str:
    """The IND writes Dutch names only."""
    return COUNTRIES[code].dutch


def country_coa(code: str, rng: random.Random) -> str:
    """COA: Dutch name or alpha-3."""
    return code if rng.random() < 0.4 else COUNTRIES[code].dutch


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A phone number split as country code + national significant number."""

    cc: str
    nsn: str

    @property
    def e164(self) -> str:
        return f"+{self.cc}{self.nsn}"


# Mobile prefixes (after the country code) in which every subscriber number
# of the given length is valid under libphonenumber's metadata, so that each
# generated number normalises to one E.164 value (checked in the tests).
PHONE_PREFIXES: dict[str, tuple[str, tuple[str, ...], int]] = {
    # alpha-3: (country code, national prefixes, digits after the prefix)
    "NLD": ("31", ("61", "62", "63", "64", "65"), 7),
    "SYR": ("963", ("93", "94", "95", "96", "98", "99"), 7),
    "IRQ": ("964", ("75", "77", "78", "79"), 8),
    "IRN": ("98", ("91", "93"), 8),
    "TUR": ("90", ("50", "53", "54", "55"), 8),
    "LBY": ("218", ("91", "92", "94"), 7),
    "DEU": ("49", ("151", "152", "157", "176"), 8),
    "ITA": ("39", ("32", "33", "34", "38"), 8),
    "SDN": ("249", ("91", "92", "99"), 7),
    "PAK": ("92", ("30", "31", "32", "34"), 8),
    "ERI": ("291", ("7",), 6),
    "AFG": ("93", ("70", "77", "79"), 7),
    "SOM": ("252", ("61",), 7),
    "ETH": ("251", ("91", "92"), 7),
    "GRC": ("30", ("69",), 8),
}


def new_phone(country: str, rng: random.Random) -> PhoneNumber:
    """A random valid mobile number of ``country`` (alpha-3, see PHONE_PREFIXES)."""
    cc, prefixes, digits = PHONE_PREFIXES[country]
    tail = str(rng.randrange(10**digits)).zfill(digits)
    return PhoneNumber(cc, rng.choice(prefixes) + tail)


# How a national significant number of a given length is grouped when written.
_GROUPING: dict[int, tuple[int, ...]] = {7: (1, 3, 3), 8: (2, 3, 3), 9: (3, 3, 3), 10: (3, 3, 4),
                                         11: (3, 4, 4)}  # fmt: skip


class Weighted(Generic[T]):
    """A fixed weighted choice, drawn with one ``random()`` and a bisect.

    ``random.choices`` rebuilds its cumulative weights on every call, which
    at hundreds of thousands of draws is most of the generator's time.
    """

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items, cum, total = [], [], 0.0
        for item, weight in pairs:
            total += weight
            items.append(item)
            cum.append(total)
        self._items: tuple[T, ...] = tuple(items)
        self._cum: tuple[float, ...] = tuple(cum)
        self._total = total

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect.bisect(self._cum, rng.random() * self._total)]


def _groups(text: str, sizes: tuple[int, ...]) -> str:
    out, i = [], 0
    for size in sizes:
        if i >= len(text):
            break
        out.append(text[i : i + size])
        i += size
    if i < len(text):
        out.append(text[i:])
    return " ".join(out)


_NL_FORMS = Weighted(
    zip(
        (
            "+31 {head} {rest}", "0031{nsn}", "0{head}-{rest}", "0{head} {rest}", "+31{nsn}",
            "0{nsn}", "0{head} {grouped}",
        ),
        (18, 10, 25, 12, 10, 15, 10),
        strict=True,
    )
)  # fmt: skip
_INTERNATIONAL_FORMS = Weighted(
    zip(
        ("+{cc} {grouped}", "00{cc}{nsn}", "+{cc}{nsn}", "00{cc} {grouped}", "+{cc}-{nsn}"),
        (35, 25, 25, 10, 5),
        strict=True,
    )
)


def phone_form(phone: PhoneNumber, rng: random.Random) -> str:
    """One written form of ``phone``.

    Dutch numbers also appear in national form (``06-12345678``); foreign
    ones only in international forms, because the loaders read national
    forms as Dutch (the partners are Dutch) - a Syrian number written
    nationally would become a different or invalid number.
    """
    cc, nsn = phone.cc, phone.nsn
    if cc == "31":
        head, rest = (nsn[:1], nsn[1:]) if nsn.startswith("6") else (nsn[:2], nsn[2:])
        grouped = _groups(rest, (4, 4) if head == "6" else (3, 4))
        return _NL_FORMS.pick(rng).format(head=head, rest=rest, nsn=nsn, grouped=grouped)
    grouped = _groups(nsn, _GROUPING.get(len(nsn), (3, 3, 4)))
    return _INTERNATIONAL_FORMS.pick(rng).format(cc=cc, nsn=nsn, grouped=grouped)


def date_dmy(day: dt.date) -> str:
    """``DD-MM-YYYY`` (IND, COA text cells)."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def dob_ymd(dob: dt.date, year_only: bool, rng: random.Random) -> str:
    """Birth date as Politie/KMar write it; year-only ones in all partial forms."""
    if year_only:
        return rng.choice((f"{dob.year}", f"{dob.year}-00-00", f"{dob.year}-00-00"))
    return dob.isoformat()


def dob_dmy(dob: dt.date, year_only: bool, rng: random.Random) -> str:
    """Birth date as the IND (and COA text cells) write it."""
    if year_only:
        return rng.choice((f"00-00-{dob.year}", f"00-00-{dob.year}", f"{dob.year}"))
    return date_dmy(dob)


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def iso_timestamp(day: dt.date, minute_of_day: int) -> str:
    """ISO 8601 with the Amsterdam offset of that day (CEST between the last
    Sundays of March and October), computed without tz data so output never
    depends on the machine."""
    summer = _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)
    offset = "+02:00" if summer else "+01:00"
    return f"{day.isoformat()}T{minute_of_day // 60:02d}:{minute_of_day % 60:02d}:00{offset}"


# Dutch plates use no vowels (and no C, Q) since side-code 4.
_PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"
_SIDECODES = ("DD-LLL-D", "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "DDD-LL-D", "LL-LL-DD", "DD-LL-LL")


def new_plate(rng: random.Random) -> str:
    """A Dutch plate in a side-code of the 2000s-2010s (``53-VKT-8``)."""
    code = rng.choice(_SIDECODES)
    return "".join(
        rng.choice(_PLATE_LETTERS) if ch == "L" else str(rng.randrange(10)) if ch == "D" else ch
        for ch in code
    )


def amount_nl(euros: int) -> str:
    """``3.500,00``: the IND's Dutch decimal comma with thousands dots."""
    return f"{euros:,}".replace(",", ".") + ",00"
