"""Name tables per language, with the transliteration variants clerks produce.

Each entry is a tuple of spellings of *one* name, canonical first
(``("Mohammed", "Mohamed", "Muhammad", "Mohammad")``). A person holds
canonical names; every record spells them anew (``spell``), so the same
person appears as ``Mohammed Al-Hassan`` to the police and ``Muhammad
ALHASSAN`` to the IND. All spellings are Latin and encodable in cp1252,
because the IND export is.

Eritrean, Ethiopian and Somali names are patronymic: the "family name" is
the father's given name, which is why given and family names are swapped so
often across organisations.
"""

from __future__ import annotations

import random
from typing import Literal

__all__ = [
    "FAMILY",
    "GIVEN",
    "LANGUAGES",
    "Language",
    "Style",
    "alias_for",
    "render_name",
    "spell",
]

Language = Literal["arabic", "kurdish", "tigrinya", "amharic", "pashto_dari", "farsi", "somali"]
LANGUAGES: tuple[Language, ...] = (
    "arabic", "kurdish", "tigrinya", "amharic", "pashto_dari", "farsi", "somali",
)  # fmt: skip

Names = tuple[tuple[str, ...], ...]

_ARABIC_M: Names = (
    ("Mohammed", "Mohamed", "Muhammad", "Mohammad", "Mohamad", "Muhammed"),
    ("Ahmad", "Ahmed"),
    ("Yusuf", "Youssef", "Yousef", "Yusef"),
    ("Abdelrahman", "Abdulrahman", "Abd al-Rahman", "Abdul Rahman"),
    ("Omar", "Umar"),
    ("Hussein", "Hussain", "Husein"),
    ("Khaled", "Khalid"),
    ("Mahmoud", "Mahmud"),
    ("Mustafa", "Moustafa", "Mostafa"),
    ("Ibrahim", "Ebrahim"),
    ("Ali",),
    ("Hassan", "Hasan"),
    ("Ammar", "Amar"),
    ("Bilal",),
    ("Tariq", "Tarek", "Tareq"),
    ("Walid", "Waleed"),
    ("Rami",),
    ("Samer", "Sameer"),
    ("Fadi",),
    ("Jamal", "Gamal"),
    ("Abdullah", "Abdallah", "Abdulla"),
    ("Majd",),
    ("Anas",),
    ("Karim", "Kareem"),
)
_ARABIC_F: Names = (
    ("Fatima", "Fatma", "Fatemah"),
    ("Aisha", "Aicha", "Aysha"),
    ("Maryam", "Mariam"),
    ("Rania",),
    ("Layla", "Leila", "Laila"),
    ("Zainab", "Zeinab", "Zaynab"),
    ("Hiba", "Heba"),
    ("Amal",),
    ("Rasha",),
    ("Salma",),
    ("Huda", "Hoda"),
    ("Sara", "Sarah"),
    ("Nour", "Noor", "Nur"),
    ("Yasmin", "Yasmine", "Jasmin"),
)
_ARABIC_FAMILY: Names = (
    ("Al-Hassan", "Alhassan", "El Hassan", "Al Hassan", "El-Hassan"),
    ("Al-Ahmad", "Alahmad", "Al Ahmad", "El Ahmad"),
    ("Al-Khalil", "Alkhalil", "El Khalil"),
    ("Al-Masri", "Almasri", "El Masri"),
    ("Haddad", "Hadad"),
    ("Khoury", "Khouri", "Khuri"),
    ("Ali",),
    ("Hamdan",),
    ("Darwish", "Darwiche"),
    ("Saleh", "Salih"),
    ("Al-Sayed", "Alsayed", "El Sayed", "El-Sayed"),
    ("Abdallah", "Abdullah", "Abdulla"),
    ("Al-Hussein", "Alhussein", "Al Hussain"),
    ("Othman", "Osman", "Uthman"),
    ("Al-Najjar", "Alnajjar", "An-Najjar"),
    ("Kassem", "Qasim", "Qassem", "Kasem"),
    ("Al-Shami", "Alshami", "Ash-Shami"),
    ("Sabbagh", "Sabagh"),
    ("Nasser", "Nasir", "Naser"),
    ("Yassin", "Yasin", "Yaseen"),
    ("Al-Homsi", "Alhomsi", "El Homsi"),
    ("Suleiman", "Sulaiman", "Soliman"),
    ("Al-Halabi", "Alhalabi", "El Halabi"),
    ("Ibrahim", "Ebrahim"),
    ("Mansour", "Mansur"),
)
_KURDISH_M: Names = (
    ("Azad",),
    ("Rebin", "Rebeen"),
    ("Shvan", "Shwan", "Sivan"),
    ("Karwan", "Karwen"),
    ("Hiwa", "Hewa"),
    ("Baran",),
    ("Sirwan", "Serwan"),
    ("Zhiyar", "Jiyar"),
    ("Dilshad", "Dilsad"),
    ("Ahmed", "Ehmed", "Ahmad"),
)
_KURDISH_F: Names = (
    ("Narin", "Nareen", "Nerin"),
    ("Shilan", "Shelan"),
    ("Rozhin", "Rojin"),
    ("Berivan", "Bervan"),
    ("Dilan",),
    ("Hozan", "Huzan"),
)
_KURDISH_FAMILY: Names = (
    ("Barzani", "Barzany"),
    ("Mustafa", "Mustefa"),
    ("Rashid", "Reshid", "Rasheed"),
    ("Hamid", "Hemid"),
    ("Khalil", "Xelil"),
    ("Omar", "Umer"),
    ("Ismail", "Ismaeel", "Smail"),
    ("Kurdi", "Kurdy"),
    ("Hassan", "Hesen"),
)
_TIGRINYA_M: Names = (
    ("Tesfay", "Tesfaye", "Tesfai"),
    ("Haile", "Hayle"),
    ("Mehari", "Mehary"),
    ("Kidane", "Kidan"),
    ("Tekle", "Teklay", "Tecle"),
    ("Berhane", "Birhane", "Berhan"),
    ("Ghebre", "Gebre", "Gebray"),
    ("Yemane", "Yemani"),
    ("Solomon", "Selomon"),
    ("Dawit", "Dawite"),
    ("Filmon", "Filimon"),
    ("Yonas", "Yonass"),
    ("Isaias", "Isayas", "Esayas"),
    ("Habtom", "Habtum"),
    ("Tewelde", "Teweldebrhan"),
    ("Issak", "Isaac", "Ishak"),
)
_TIGRINYA_F: Names = (
    ("Selam", "Salam"),
    ("Senait", "Senayt"),
    ("Freweyni", "Freweini"),
    ("Luwam", "Luam"),
    ("Mebrat", "Mibrat"),
    ("Saba",),
    ("Yordanos", "Yordanose"),
    ("Rahel", "Rahwa"),
    ("Helen", "Helena"),
    ("Tsega", "Tsige"),
)
_AMHARIC_M: Names = (
    ("Abebe",),
    ("Girma", "Germa"),
    ("Tadesse", "Tadese"),
    ("Alemayehu", "Alemayhu"),
    ("Getachew", "Getachaw"),
    ("Mulugeta", "Mulugheta"),
    ("Bekele", "Bekelle"),
    ("Tsegaye", "Tsegay"),
    ("Dereje", "Derege"),
)
_AMHARIC_F: Names = (
    ("Hirut", "Hiruth"),
    ("Meseret", "Meserete"),
    ("Tigist", "Tigest"),
    ("Almaz",),
    ("Mekdes", "Meqdes"),
    ("Bethlehem", "Betelhem"),
)
_PASHTO_DARI_M: Names = (
    ("Mohammad", "Mohammed", "Muhammad"),
    ("Ahmad", "Ahmed"),
    ("Habibullah", "Habib Ullah", "Habibollah"),
    ("Rahmatullah", "Rahmatulla"),
    ("Ghulam", "Gholam"),
    ("Sayed", "Sayyed", "Said"),
    ("Hamid", "Hameed"),
    ("Jawad", "Javad"),
    ("Farid", "Fareed"),
    ("Wahid", "Waheed"),
    ("Zabihullah", "Zabiullah"),
    ("Mustafa", "Mostafa"),
    ("Naqib", "Naqeeb"),
)
_PASHTO_DARI_F: Names = (
    ("Fatima", "Fatema"),
    ("Zahra", "Zohra"),
    ("Marzia", "Marziya"),
    ("Parwana", "Parvana"),
    ("Nargis", "Narges"),
    ("Shabnam", "Shabnum"),
)
_PASHTO_DARI_FAMILY: Names = (
    ("Ahmadzai", "Ahmadzay"),
    ("Karimi", "Kareemi"),
    ("Rahimi", "Raheemi"),
    ("Hakimi", "Hakeemi"),
    ("Sultani", "Soltani"),
    ("Hussaini", "Hosseini", "Husseini"),
    ("Mohammadi", "Muhammadi"),
    ("Noori", "Nouri", "Nuri"),
    ("Stanikzai", "Stanekzai"),
    ("Wardak", "Wardag"),
    ("Safi", "Safy"),
    ("Haidari", "Heydari", "Haydari"),
    ("Jalali",),
)
_FARSI_M: Names = (
    ("Reza", "Resa"),
    ("Mehdi", "Mahdi"),
    ("Hossein", "Hosein", "Hussein"),
    ("Amir",),
    ("Ali",),
    ("Mohsen", "Muhsin"),
    ("Saeed", "Said", "Saied"),
    ("Majid", "Madjid"),
    ("Behnam",),
    ("Arash",),
)
_FARSI_F: Names = (
    ("Maryam", "Mariam"),
    ("Zahra", "Sahra"),
    ("Fatemeh", "Fateme"),
    ("Shirin", "Sheerin"),
    ("Neda", "Nida"),
    ("Parisa",),
)
_FARSI_FAMILY: Names = (
    ("Hosseini", "Husseini", "Hoseini"),
    ("Ahmadi", "Ahmady"),
    ("Rezaei", "Rezaie", "Rezai"),
    ("Mohammadi", "Mohamadi"),
    ("Karimi",),
    ("Jafari", "Djafari", "Jafary"),
    ("Moradi", "Muradi"),
    ("Ghorbani", "Qorbani"),
    ("Sadeghi", "Sadeqi", "Sadighi"),
    ("Akbari",),
)
_SOMALI_M: Names = (
    ("Abdi", "Abdy", "Cabdi"),
    ("Mohamed", "Maxamed", "Mohammed"),
    ("Ahmed", "Axmed"),
    ("Hassan", "Xasan"),
    ("Abdirahman", "Abdurahman", "Cabdiraxmaan"),
    ("Omar", "Cumar"),
    ("Ali", "Cali"),
    ("Yusuf", "Yuusuf"),
    ("Farah", "Faarax"),
)
_SOMALI_F: Names = (
    ("Fadumo", "Faadumo", "Fatuma"),
    ("Hodan", "Hodaan"),
    ("Amina", "Aamina"),
    ("Sahra", "Saxra"),
    ("Ifrah", "Ifraax"),
    ("Hawa", "Xawo"),
)

GIVEN: dict[Language, dict[str, Names]] = {
    "arabic": {"M": _ARABIC_M, "V": _ARABIC_F},
    "kurdish": {"M": _KURDISH_M, "V": _KURDISH_F},
    "tigrinya": {"M": _TIGRINYA_M, "V": _TIGRINYA_F},
    "amharic": {"M": _AMHARIC_M, "V": _AMHARIC_F},
    "pashto_dari": {"M": _PASHTO_DARI_M, "V": _PASHTO_DARI_F},
    "farsi": {"M": _FARSI_M, "V": _FARSI_F},
    "somali": {"M": _SOMALI_M, "V": _SOMALI_F},
}
# Patronymic languages take the father's given name as "family" name.
FAMILY: dict[Language, Names] = {
    "arabic": _ARABIC_FAMILY,
    "kurdish": _KURDISH_FAMILY,
    "tigrinya": _TIGRINYA_M,
    "amharic": _AMHARIC_M,
    "pashto_dari": _PASHTO_DARI_FAMILY,
    "farsi": _FARSI_FAMILY,
    "somali": _SOMALI_M,
}

# canonical spelling -> all spellings (built once from the tables).
_VARIANTS: dict[str, tuple[str, ...]] = {}
for _table in (*(t for g in GIVEN.values() for t in g.values()), *FAMILY.values()):
    for _entry in _table:
        _VARIANTS.setdefault(_entry[0], _entry)


def spell(canonical: str, rng: random.Random, p_variant: float = 0.4) -> str:
    """One spelling of ``canonical``: itself, or with ``p_variant`` a variant."""
    variants = _VARIANTS.get(canonical)
    if variants is None or len(variants) == 1 or rng.random() >= p_variant:
        return canonical
    return rng.choice(variants)


Style = Literal["politie", "kmar", "ind", "coa", "companion"]


def render_name(
    given: tuple[str, ...], family: str, rng: random.Random, style: Style
) -> tuple[str, str]:
    """The name as one organisation records it.

    Returns ``(surname, given)`` for the police (two columns) and
    ``(full, "")`` for the others: KMar ``SURNAME, Given``; IND
    ``Given SURNAME`` or ``SURNAME Given``; COA as a clerk typed it. Given and
    family names are swapped now and then, as happens when the clerk cannot
    tell which is which.
    """
    first = " ".join(spell(g, rng) for g in given)
    last = spell(family, rng)
    if rng.random() < 0.06:
        first, last = last, first
    if style == "politie":
        return last, first
    if style in ("kmar", "companion"):
        return f"{last.upper()}, {first}", ""
    if style == "ind":
        return (f"{first} {last.upper()}" if rng.random() < 0.6 else f"{last.upper()} {first}"), ""
    roll = rng.random()
    if roll < 0.55:
        return f"{first} {last}", ""
    if roll < 0.85:
        return f"{last.upper()} {first}", ""
    return f"{first} {last}".lower().title(), ""


# Facilitator aliases: an honorific and a name, each with spelling variants.
_HONORIFICS: dict[str, tuple[tuple[str, ...], Names]] = {
    "arabic": (("Abu", "Abou"), _ARABIC_M),
    "tigrinya": (("Wedi",), _TIGRINYA_M),
    "kurdish": (("Kak", "Kaka"), _KURDISH_M),
    "pashto_dari": (("Haji", "Hajji", "Hadji"), _PASHTO_DARI_M),
}


def alias_for(language: str, rng: random.Random) -> tuple[str, ...]:
    """2-3 spellings of one facilitator alias (``Abu Omar``, ``Abou Omar``, ``Abu Umar``).

    The first is the canonical spelling. Languages without an honorific table
    fall back to Arabic kunyas, the lingua franca of the routes.
    """
    honorifics, names = _HONORIFICS.get(language, _HONORIFICS["arabic"])
    name = rng.choice(names)
    spellings: list[str] = []
    for h in honorifics:
        for n in name:
            candidate = f"{h} {n}"
            if candidate not in spellings:
                spellings.append(candidate)
    canonical = spellings[0]
    others = spellings[1:]
    rng.shuffle(others)
    if not others:  # a name without variants: the clerk's typo is the variant
        others = [canonical.replace(" ", "-"), canonical.upper()]
    return (canonical, *others[: rng.randint(1, 2)])
