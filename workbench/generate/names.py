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


def _compounds(forms: tuple[str, ...], stems: tuple[str, ...], *, suffix: bool = False) -> Names:
    """One name per stem, in every written form of its particle.

    A form ending in a letter is glued to the stem (``Abdelkarim``), one
    ending in a space or hyphen is not (``Abd al-Karim``); ``suffix`` puts
    the form after the stem (``Hafizullah``, ``Hafiz Ullah``).

    >>> _compounds(("Abdel", "Abd al-"), ("Karim",))
    (('Abdelkarim', 'Abd al-Karim'),)
    """

    def join(form: str, stem: str) -> str:
        if suffix:
            return stem + form
        return form + (stem if form[-1] in " -" else stem.lower())

    return tuple(tuple(join(form, stem) for form in forms) for stem in stems)


# Ge'ez theophoric names (``Gebremedhin``: "servant of the Saviour"), written
# glued, hyphenated, with the prefix's other spelling or the stem's.
_ETHIOPIAN_COMPOUNDS: Names = tuple(
    tuple(
        dict.fromkeys(
            (
                f"{prefix[0]}{stem[0]}",
                f"{prefix[0]}-{stem[0].title()}",
                f"{prefix[-1]}{stem[0]}",
                f"{prefix[0]}{stem[-1]}",
                f"{prefix[0]} {stem[0].title()}",
            )
        )
    )
    for prefix in (("Gebre", "Ghebre"), ("Wolde", "Welde"), ("Haile", "Hayle"),
                   ("Tekle", "Tecle"), ("Habte", "Habtu"), ("Kidane", "Kidana"),
    ("Tesfa", "Tesfai"))
    for stem in (("mariam", "maryam"), ("michael", "mikael"), ("giorgis", "giyorgis"),
                 ("selassie", "sellassie"), ("medhin", "medhen"), ("yesus", "iyesus"),
                 ("kristos", "christos"), ("haimanot", "haymanot"))
)  # fmt: skip

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
    # The long tail: most names are rare (ADR 0021).
    ("Adnan",), ("Adel", "Adil"), ("Ayman", "Aiman"), ("Bassam", "Basam"), ("Basel", "Bassel"),
    ("Fares", "Faris"), ("Firas", "Feras"), ("Ghassan", "Gassan"), ("Hamza", "Hamzah"),
    ("Hani", "Hany"), ("Haitham", "Haytham"), ("Hisham", "Hesham"), ("Imad", "Emad"),
    ("Iyad", "Eyad"), ("Jihad",), ("Kamal",), ("Louay", "Luay", "Loay"), ("Maher",),
    ("Mazen", "Mazin"), ("Muhannad", "Mohanad", "Mohannad"), ("Munir", "Mounir"),
    ("Nabil", "Nabeel"), ("Nizar",), ("Osama", "Usama", "Oussama"), ("Qusai", "Kusai", "Qusay"),
    ("Raed", "Rayed"), ("Riad", "Riyad", "Riyadh"), ("Saad", "Sa'ad"), ("Safwan",),
    ("Salim", "Saleem"), ("Sami", "Samy"), ("Shadi", "Chadi"), ("Tamer", "Tamir"),
    ("Wael", "Wail"), ("Yahya", "Yehia", "Yahia"), ("Ziad", "Zeyad", "Ziyad"), ("Alaa", "Ala"),
    ("Amjad",), ("Anwar", "Anouar"), ("Ayham",), ("Bakr", "Bakir"), ("Diaa", "Dia", "Diya"),
    ("Ehab", "Ihab"), ("Fouad", "Fuad"), ("Ghaith", "Ghayth", "Gaith"), ("Haidar", "Haider"),
    ("Hazem", "Hazim"), ("Issam", "Essam"), ("Jaber", "Jabir"), ("Khalil", "Khaleel"),
    ("Laith", "Leith", "Layth"), ("Marwan",), ("Moaz", "Muath", "Muaz"), ("Motaz", "Mutaz"),
    ("Obada", "Ubada", "Obadah"), ("Radwan", "Ridwan"), ("Rashid", "Rasheed"),
    ("Saif", "Seif", "Sayf"), ("Salah", "Salaheddine"), ("Suhaib", "Sohaib", "Suhayb"),
    ("Talal",), ("Wassim", "Waseem", "Wasim"), ("Yazan",), ("Zakaria", "Zakariya", "Zakariyya"),
    ("Zaid", "Zayd", "Zeid"), ("Nasser", "Naser", "Nasir"), ("Mahdi", "Mehdi"),
    *_compounds(("Abdel", "Abdul", "Abd al-", "Abdul "), (
        "Karim", "Aziz", "Latif", "Majid", "Hamid", "Hakim", "Jalil", "Qadir", "Razzaq",
        "Salam", "Wahab", "Ghani", "Halim", "Basit", "Fattah", "Hadi", "Malik", "Jabbar",
        "Raouf", "Hafiz", "Wahid", "Rahim", "Monem", "Sattar", "Ilah", "Muttalib",
    )),
)  # fmt: skip
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
    ("Asma", "Asmaa"), ("Batoul", "Batul"), ("Bushra", "Boushra"), ("Dalia", "Dalya"),
    ("Doaa", "Duaa", "Dua"), ("Ghada",), ("Hanan",), ("Hala",), ("Iman", "Eman"),
    ("Inas", "Enas"), ("Jana",), ("Lama",), ("Lina", "Leena"), ("Lubna", "Loubna"),
    ("Manal",), ("Mai", "May"), ("Nada",), ("Najwa", "Nagwa"), ("Nisreen", "Nesrine", "Nesreen"),
    ("Noura", "Nura"), ("Rana",), ("Rawan",), ("Reem", "Rim", "Rime"), ("Ruba", "Roba"),
    ("Safaa", "Safa"), ("Samar",), ("Sawsan", "Sawsen"), ("Shaima", "Shaimaa", "Chaima"),
    ("Suha", "Souha"), ("Sumaya", "Soumaya", "Sumayah"), ("Tasneem", "Tasnim"),
    ("Wafaa", "Wafa"), ("Widad", "Wedad"), ("Yara",), ("Zeina", "Zena", "Zaina"),
    ("Ola", "Oula", "Ula"), ("Rahaf",), ("Raghad", "Ragad"), ("Dima",), ("Farah",),
    ("Ghina", "Ghena"), ("Hadeel", "Hadil"), ("Israa", "Esraa", "Isra"),
    ("Khadija", "Khadijah", "Khadeeja"), ("Lamis", "Lamees"), ("Maha",), ("Malak",),
    ("Nadia", "Nadya"), ("Rima", "Reema"), ("Sidra", "Sedra"),
)  # fmt: skip
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
    *_compounds(("Al-", "Al", "El ", "Al ", "El-"), (
        "Khatib", "Hamwi", "Idlibi", "Dimashqi", "Raqqawi", "Deiri", "Tikriti", "Baghdadi",
        "Mosuli", "Basri", "Obeidi", "Jubouri", "Dulaimi", "Shammari", "Zoubi", "Rifai",
        "Sheikh", "Tamimi", "Omari", "Kurdi", "Hariri", "Asaad", "Atrash", "Bakri", "Hakim",
        "Jabri", "Mahmoud", "Mousa", "Nouri", "Qadi", "Salem", "Zein", "Aswad", "Bitar",
        "Khouli", "Rashid", "Saadi", "Hamadi", "Ani", "Azzawi", "Janabi", "Karbouli", "Hamdani",
        "Hadidi", "Hallak", "Attar", "Farra", "Tahhan", "Nahhas", "Sayegh", "Qassab",
    )),
    ("Khayyat", "Khayat"), ("Hallaq", "Hallak"), ("Jazzar", "Jazar"), ("Farran", "Faran"),
    ("Dabbagh", "Dabagh"), ("Hajjar", "Hajar"), ("Abboud", "Abbud", "Aboud"), ("Assaf", "Asaf"),
    ("Awad", "Awwad"), ("Bakkour", "Bakour"), ("Dabbous", "Dabous"), ("Ghanem", "Ghanim"),
    ("Hammoud", "Hamoud", "Hammud"), ("Issa", "Eissa", "Isa"), ("Jaber", "Jabir"),
    ("Kanaan", "Kanan"), ("Karam",), ("Makhlouf", "Makhluf"), ("Moussa", "Mousa", "Musa"),
    ("Nassar", "Nasar"), ("Obeid", "Obaid", "Ubaid"), ("Qaddour", "Kaddour"), ("Rahal", "Rahhal"),
    ("Saad",), ("Shaheen", "Chahine", "Shahin"), ("Srour", "Sorour"), ("Tannous", "Tanous"),
    ("Zaher", "Zahir"), ("Zidan", "Zeidan", "Zaidan"), ("Younes", "Younis", "Yunus"),
    ("Haidar", "Haider"), ("Hijazi", "Hejazi"), ("Hamdi",), ("Badr", "Bader"), ("Fares", "Faris"),
    ("Hamza", "Hamzeh"), ("Khalaf",), ("Mahfouz", "Mahfuz"), ("Nabulsi", "Naboulsi"),
    ("Rashed", "Rached"), ("Sharif", "Cherif", "Shareef"), ("Taha",), ("Wehbe", "Wahbi", "Wehbi"),
)  # fmt: skip
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
    ("Aram",), ("Bakhtiyar", "Bakhtiar"), ("Dana",), ("Diyar", "Dyar"), ("Goran",),
    ("Hemin", "Himin"), ("Hersh", "Harsh"), ("Jalal", "Celal"), ("Kamaran", "Kamran"),
    ("Kawa", "Kawe"), ("Lawand", "Lawend"), ("Mariwan", "Meriwan"), ("Nawzad", "Nauzad"),
    ("Peshawa", "Peshewa"), ("Rawand", "Rewand"), ("Rebwar", "Rebuar"), ("Rizgar",),
    ("Salar",), ("Sardar", "Serdar"), ("Sherzad", "Sherzaad"), ("Soran",), ("Twana", "Tuana"),
    ("Zana",), ("Hawkar",), ("Kardo", "Kardu"), ("Ranj",), ("Sarbast", "Serbest"),
    ("Shorsh", "Sorsh"), ("Zirak", "Zerak"), ("Bestun", "Bestoon"), ("Dara",),
    ("Hoshyar", "Hushyar"),
)  # fmt: skip
_KURDISH_F: Names = (
    ("Narin", "Nareen", "Nerin"),
    ("Shilan", "Shelan"),
    ("Rozhin", "Rojin"),
    ("Berivan", "Bervan"),
    ("Dilan",),
    ("Hozan", "Huzan"),
    ("Avin", "Aveen"), ("Bahar",), ("Chra", "Chira"), ("Dlnya", "Dilnya"),
    ("Gulistan", "Gulestan"), ("Hana",), ("Jwan", "Juan"), ("Kazhal", "Kajal"), ("Lana",),
    ("Nazdar",), ("Payman", "Peyman"), ("Rezan",), ("Roza",), ("Shno", "Shnow"), ("Tara",),
    ("Viyan", "Vian"), ("Zhino", "Jino"), ("Awaz",), ("Delal", "Dilal"), ("Helin", "Heleen"),
    ("Nishtiman",), ("Sozan",), ("Ronak", "Ronaq"), ("Shaho",),
)  # fmt: skip
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
    ("Abdullah", "Abdulla"), ("Ahmed", "Ehmed"), ("Aziz", "Eziz"), ("Bakir", "Baqir"),
    ("Faraj", "Feraj"), ("Hama", "Heme"), ("Hawrami", "Hewrami"), ("Jaff", "Caf"),
    ("Karim", "Kerim"), ("Latif", "Letif"), ("Mahmoud", "Mehmud"), ("Qadir", "Kadir"),
    ("Rasul", "Rasool", "Resul"), ("Salih", "Saleh"), ("Shwani", "Shuani"),
    ("Talabani", "Talebani"),
    ("Zebari", "Zibari"), ("Doski",), ("Sindi", "Sindy"), ("Baban",), ("Mirani", "Mirany"),
    ("Hawezi", "Hewezi"), ("Sorchi", "Surchi"), ("Harki",), ("Bradosti", "Biradosti"),
    ("Amedi", "Amadi"), ("Zakhoyi", "Zakhoy"), ("Barwari", "Berwari"), ("Gerdi", "Gardi"),
    ("Jabari", "Cebari"), ("Kakai", "Kakayi"), ("Pishdari", "Peshdari"), ("Balisani",),
    ("Raniyayi", "Raniay"), ("Koyi", "Koye"), ("Halabjayi", "Helebceyi"), ("Shexani", "Sheikhani"),
)  # fmt: skip
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
    ("Abraham", "Abrham"), ("Amanuel", "Emanuel", "Amanual"), ("Aron", "Aaron"),
    ("Biniam", "Biniyam", "Beniam"), ("Daniel",), ("Efrem", "Ephrem"), ("Eyob", "Iyob"),
    ("Ermias", "Ermiyas"), ("Fitsum", "Fitsom"), ("Goitom", "Goytom"), ("Henok", "Henock"),
    ("Kibrom", "Kbrom"), ("Mebrahtu", "Mebrahtom"), ("Merhawi", "Merhawie"),
    ("Mussie", "Musie"), ("Natnael", "Nathnael"), ("Robel", "Robiel"), ("Samuel",),
    ("Semere", "Semre"), ("Simon", "Simion"), ("Teame", "Teamie"), ("Tedros", "Tewodros"),
    ("Tekeste", "Tekheste"), ("Tesfalem", "Tesfaalem"), ("Tsegai", "Tsegay"), ("Weldu", "Woldu"),
    ("Yohannes", "Yohanes"), ("Yosief", "Yosef", "Josef"), ("Zerai", "Zeray"), ("Awet", "Awot"),
    ("Berhe", "Birhe"), ("Asmerom", "Asmeron"), ("Fikre", "Fikri"), ("Ghirmay", "Girmay"),
    ("Hagos", "Hagoss"), ("Kahsay", "Kahsai"), ("Kesete", "Kisete"), ("Mengsteab", "Mengisteab"),
    ("Negasi", "Negassi"), ("Okbay", "Okubay"), ("Russom", "Rusom"), ("Sium", "Siyum"),
    ("Tekie", "Tekey"), ("Yikealo", "Yikalo"),
    *_ETHIOPIAN_COMPOUNDS,
)  # fmt: skip
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
    ("Adiam", "Adiyam"), ("Almaz", "Almas"), ("Ariam", "Aryam"), ("Azieb", "Aziyeb"),
    ("Eden",), ("Elsa", "Elza"), ("Feven", "Fiven"), ("Hanna", "Hana"), ("Hiwet", "Hiwot"),
    ("Kisanet", "Kisanat"), ("Lidya", "Lidia"), ("Medhanit", "Medhanite"), ("Meron", "Miron"),
    ("Milen", "Milena"), ("Nardos", "Nardose"), ("Rigbe", "Rgbe"), ("Ruth", "Rut"),
    ("Samrawit", "Samrawite"), ("Segen", "Seghen"), ("Semhar", "Semhare"), ("Simret", "Semret"),
    ("Tirhas", "Tirhase"), ("Winta", "Wintana"), ("Yohana", "Yohanna"), ("Zewdi", "Zewdie"),
    ("Abeba",), ("Aster", "Astier"), ("Hadas", "Hadass"), ("Nebiat", "Nebiyat"),
    ("Tsion", "Zion"), ("Weini", "Weyni"),
)  # fmt: skip
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
    ("Abel",), ("Abiy", "Abiyi"), ("Adane", "Addane"), ("Alemu", "Alemmu"), ("Asfaw", "Asfew"),
    ("Ayele", "Ayelle"), ("Belay", "Belai"), ("Birhanu", "Berhanu"), ("Dagim", "Dagem"),
    ("Desta", "Destaw"), ("Eshetu", "Eshetou"), ("Fikru", "Fikiru"), ("Gashaw", "Gashew"),
    ("Hailu", "Haylu"), ("Kebede", "Kebbede"), ("Kassa", "Kasa"), ("Lemma", "Lema"),
    ("Mekonnen", "Mekonen"), ("Mesfin", "Mesfine"), ("Negash", "Negas"), ("Seyoum", "Seyum"),
    ("Shiferaw", "Shifferaw"), ("Tamirat", "Tamrat"), ("Tefera", "Tefere"),
    ("Teshome", "Teshom"), ("Wondimu", "Wendimu"), ("Worku", "Werku"), ("Yared", "Yaried"),
    ("Yirga", "Yerga"), ("Zewdu", "Zewdie"), ("Amare", "Amarie"), ("Bereket", "Bereketab"),
    ("Biruk", "Biruke"), ("Eyasu", "Iyasu"), ("Fasil", "Fasile"), ("Getnet", "Getinet"),
    ("Habtamu", "Habtemu"), ("Kassahun", "Kasahun"), ("Melaku", "Melakou"), ("Nahom", "Nahum"),
    ("Yonatan", "Yonathan"), *_ETHIOPIAN_COMPOUNDS,
)  # fmt: skip
_AMHARIC_F: Names = (
    ("Hirut", "Hiruth"),
    ("Meseret", "Meserete"),
    ("Tigist", "Tigest"),
    ("Almaz",),
    ("Mekdes", "Meqdes"),
    ("Bethlehem", "Betelhem"),
    ("Abebech", "Abebach"), ("Aster", "Astier"), ("Bizunesh", "Bizuneh"), ("Eleni", "Elleni"),
    ("Etenesh", "Etenish"), ("Fikirte", "Fikrte"), ("Genet", "Gennet"), ("Hanna", "Hana"),
    ("Kidist", "Qidist"), ("Liya", "Lia"), ("Mahlet", "Mahelet"), ("Netsanet", "Netsanat"),
    ("Rediet", "Rediat"), ("Selamawit", "Selamawite"), ("Sosina", "Sossina"), ("Tsehay", "Tsehai"),
    ("Woinshet", "Weyneshet"), ("Yeshi", "Yeshe"), ("Zewditu", "Zewdito"),
    ("Birtukan", "Birtukane"),
    ("Emebet", "Emebete"), ("Frehiwot", "Firehiwot"), ("Hiwot", "Hiwet"), ("Konjit", "Konjet"),
    ("Tirunesh", "Tirunish"), ("Yordanos", "Yordanose"),
)  # fmt: skip
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
    ("Ajmal", "Ajmel"), ("Aziz", "Azeez"), ("Bashir", "Basheer"), ("Daud", "Dawood", "Dawud"),
    ("Fawad", "Fawaad"), ("Haroon", "Harun", "Haroun"), ("Hashmat", "Heshmat"), ("Idris", "Edris"),
    ("Ismail", "Esmail"), ("Jamil", "Jameel"), ("Javed", "Jawed", "Javid"), ("Karim", "Kareem"),
    ("Khalid", "Khaled"), ("Mansoor", "Mansur"), ("Masood", "Masoud", "Masud"),
    ("Mirwais", "Mirwaiz"),
    ("Nabi", "Nabee"), ("Najib", "Najeeb"), ("Nasir", "Naseer"), ("Noor", "Nur"),
    ("Obaid", "Ubaid"), ("Qais", "Kais", "Qays"), ("Rafi", "Rafiq"), ("Rashid", "Rasheed"),
    ("Sadiq", "Sadeq"), ("Samir", "Sameer"), ("Shafiq", "Shafeeq"), ("Shah", "Shaah"),
    ("Sharif", "Shareef"), ("Sohail", "Suhail"), ("Tahir", "Taher"), ("Wali", "Walee"),
    ("Waris", "Warees"), ("Yama",), ("Yasin", "Yaseen"), ("Zaher", "Zahir"), ("Zalmai", "Zalmay"),
    *_compounds(("ullah", " Ullah", "ulla", "ollah"), (
        "Hafiz", "Hamid", "Najib", "Sana", "Amin", "Ehsan", "Inayat", "Asad", "Saif", "Zia",
        "Sami", "Kalim", "Shafi", "Ruh", "Atiq", "Obaid", "Hayat", "Nasr", "Lutf", "Ezat",
        "Khair", "Noor", "Fazl", "Azim",
    ), suffix=True),
)  # fmt: skip
_PASHTO_DARI_F: Names = (
    ("Fatima", "Fatema"),
    ("Zahra", "Zohra"),
    ("Marzia", "Marziya"),
    ("Parwana", "Parvana"),
    ("Nargis", "Narges"),
    ("Shabnam", "Shabnum"),
    ("Arezo", "Arezoo", "Arzu"), ("Farida", "Fareeda"), ("Fereshta", "Freshta"),
    ("Gulalai", "Gulalay"), ("Hasina", "Haseena"), ("Khadija", "Khadeja"), ("Laila", "Leila"),
    ("Mahbooba", "Mahbuba"), ("Malalai", "Malalay"), ("Mina", "Meena"), ("Mursal", "Morsal"),
    ("Nazifa", "Nazefa"), ("Nilofar", "Nilufar", "Nelofar"), ("Palwasha", "Palwashah"),
    ("Rahima", "Raheema"), ("Roya", "Ruya"), ("Sadia", "Sadiya"), ("Samira", "Sameera"),
    ("Shukria", "Shukriya"), ("Sima", "Seema"), ("Storai", "Storay"), ("Tahmina", "Tahmeena"),
    ("Wahida", "Waheeda"), ("Zarghona", "Zarghuna"), ("Zakia", "Zakiya"), ("Zarmina", "Zarmeena"),
    ("Hosai", "Hosay"),
)  # fmt: skip
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
    ("Popalzai", "Popalzay"), ("Barakzai", "Barakzay"), ("Alikozai", "Alekozai"),
    ("Achakzai", "Achekzai"), ("Yusufzai", "Yousafzai", "Yousufzai"), ("Mohmand", "Momand"),
    ("Niazi", "Niyazi"), ("Durrani", "Durani"), ("Ghilzai", "Ghaljai"), ("Sherzai", "Sherzay"),
    ("Noorzai", "Nurzai"), ("Ishaqzai", "Eshaqzai"), ("Kakar", "Kakkar"), ("Tokhi", "Tokhy"),
    ("Hotak", "Hotaki"), ("Sadozai", "Saddozai"), ("Mangal",), ("Zadran", "Zardan"),
    ("Shinwari", "Shinwary"), ("Afridi", "Afridy"), ("Khogyani", "Khugiani"), ("Rezayee", "Rezaie"),
    ("Jafari", "Jaafari"), ("Sharifi", "Shareefi"), ("Sadat", "Sadaat"), ("Naseri", "Nasiri"),
    ("Azimi", "Azeemi"), ("Amiri", "Ameeri"), ("Akbari", "Akbary"), ("Habibi", "Habeebi"),
    ("Hashimi", "Hashemi"), ("Faizi", "Faizy"), ("Qaderi", "Qadiri", "Kaderi"),
    ("Rasuli", "Rasooli"),
    ("Samadi", "Samady"), ("Latifi", "Lateefi"), ("Nazari", "Nazary"), ("Yousufi", "Yusufi"),
    ("Ansari", "Ansary"), ("Ghafoori", "Ghafuri"), ("Popal",), ("Saberi", "Sabiri"),
    ("Zahiri", "Zaheeri"), ("Mujadidi", "Mojaddedi"), ("Rahmani", "Rahmany"),
    ("Nabizada", "Nabizadah"),
)  # fmt: skip
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
    ("Abbas", "Abas"), ("Ahmad", "Ahmed"), ("Akbar",), ("Alireza", "Ali Reza"), ("Amin", "Ameen"),
    ("Babak", "Baback"), ("Bahram", "Bahraam"), ("Dariush", "Daryoush", "Dariusch"),
    ("Ehsan", "Ehssan"), ("Farhad", "Farhaad"), ("Farzad",), ("Hamed", "Hamid"),
    ("Hassan", "Hasan"),
    ("Iman", "Eiman"), ("Javad", "Jawad"), ("Kamran", "Kamraan"), ("Kaveh", "Kave"),
    ("Kourosh", "Kurosh", "Koorosh"), ("Mahmoud", "Mahmud"), ("Masoud", "Massoud", "Masood"),
    ("Mehran", "Mehraan"), ("Milad", "Meelad"), ("Mohammadreza", "Mohammad Reza"),
    ("Morteza", "Mortaza"), ("Nader", "Nadir"), ("Navid", "Naveed"), ("Omid", "Omeed"),
    ("Payam", "Peyam"), ("Peyman", "Payman"), ("Pouya", "Puya"), ("Ramin", "Rameen"),
    ("Saman", "Samaan"), ("Sajjad", "Sajad"), ("Shahin", "Shaheen"), ("Siavash", "Siyavash"),
    ("Soroush", "Sorush"), ("Vahid", "Wahid"), ("Yousef", "Yusef"), ("Mostafa", "Mustafa"),
)  # fmt: skip
_FARSI_F: Names = (
    ("Maryam", "Mariam"),
    ("Zahra", "Sahra"),
    ("Fatemeh", "Fateme"),
    ("Shirin", "Sheerin"),
    ("Neda", "Nida"),
    ("Parisa",),
    ("Atefeh", "Atefe"), ("Azadeh", "Azade"), ("Bahareh", "Bahare"), ("Elham", "Elhaam"),
    ("Fariba", "Fareeba"), ("Farnaz", "Farnaaz"), ("Golnaz", "Golnar"), ("Hanieh", "Haniyeh"),
    ("Kobra", "Kubra"), ("Leila", "Leyla"), ("Mahsa",), ("Marjan", "Marjaan"), ("Mina", "Meena"),
    ("Mitra",), ("Nasrin", "Nasreen"), ("Nazanin", "Nazaneen"), ("Negar", "Nigar"),
    ("Niloufar", "Nilufar"), ("Parvin", "Parveen"), ("Roya", "Ruya"), ("Sahar",),
    ("Samira", "Sameera"),
    ("Sara", "Sarah"), ("Shahla",), ("Soheila", "Soheyla"), ("Somayeh", "Somaye"),
    ("Tahereh", "Tahere"), ("Zeinab", "Zaynab"), ("Ziba",), ("Elaheh", "Elahe"),
)  # fmt: skip
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
    ("Rahimi", "Raheemi"), ("Azizi", "Azeezi"), ("Sharifi", "Sharifee"), ("Kazemi", "Kazimi"),
    ("Ebrahimi", "Ibrahimi"), ("Mousavi", "Musavi", "Moosavi"), ("Hashemi", "Hashimi"),
    ("Rostami", "Rustami"), ("Asadi", "Assadi"), ("Bagheri", "Baqeri"), ("Shirazi", "Shirazy"),
    ("Tehrani", "Tehraani"), ("Esfahani", "Isfahani"), ("Naderi", "Nadiri"), ("Amini", "Ameeni"),
    ("Rahmani", "Rahmany"), ("Safari", "Safary"), ("Heidari", "Heydari", "Haidari"),
    ("Zamani", "Zamany"), ("Jalali", "Djalali"), ("Nouri", "Noori"), ("Abbasi", "Abasi"),
    ("Alavi", "Alawi"), ("Mirzaei", "Mirzaie", "Mirzai"), ("Ghasemi", "Qasemi", "Ghassemi"),
    ("Kamali", "Kamaly"), ("Taheri", "Tahiri"), ("Farahani", "Farahany"), ("Soltani", "Sultani"),
    ("Norouzi", "Nowruzi", "Nourouzi"), ("Yazdani", "Yazdany"), ("Salehi", "Salihi"),
    ("Fallahi", "Falahi"), ("Mahmoudi", "Mahmudi"), ("Hamidi", "Hameedi"), ("Rezvani", "Rizvani"),
    ("Mohseni", "Muhseni"), ("Azadi", "Azady"), ("Tavakoli", "Tavakkoli"), ("Ranjbar", "Ranjbaar"),
)  # fmt: skip
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
    ("Abdullahi", "Cabdullaahi", "Abdulahi"), ("Abdikarim", "Cabdikariim", "Abdikariim"),
    ("Abdiaziz", "Cabdicasiis"), ("Abdiqani", "Abdighani"), ("Abdiwali", "Cabdiwali"),
    ("Abdinasir", "Cabdinaasir"), ("Adan", "Aadan", "Aden"), ("Bashir", "Bashiir"),
    ("Bile", "Bille"), ("Dahir", "Daahir"), ("Faisal", "Faysal"), ("Guled", "Guuleed"),
    ("Hussein", "Xuseen", "Hussen"), ("Ibrahim", "Ibraahim"), ("Ismail", "Ismaaciil"),
    ("Jama", "Jaamac"), ("Khalid", "Khaalid"), ("Liban", "Liibaan"), ("Mahad", "Mahaad"),
    ("Mahamoud", "Maxamuud", "Mahmoud"), ("Mohamud", "Maxamuud", "Mohamoud"),
    ("Mukhtar", "Mukhtaar"), ("Muse", "Muuse", "Musa"), ("Nur", "Nuur", "Noor"),
    ("Osman", "Cismaan", "Usman"), ("Rashid", "Rashiid"), ("Said", "Saciid"), ("Salad", "Salaad"),
    ("Sharif", "Shariif"), ("Warsame", "Warsama"), ("Yasin", "Yaasiin"),
    ("Yonis", "Yoonis", "Yunis"),
    ("Abdirizak", "Cabdirisaaq"), ("Abshir", "Abshiir"), ("Awil", "Cawil"), ("Elmi", "Cilmi"),
    ("Egal", "Cigaal"), ("Hirsi", "Xirsi"), ("Isse", "Ciise", "Issa"), ("Qasim", "Qaasim"),
)  # fmt: skip
_SOMALI_F: Names = (
    ("Fadumo", "Faadumo", "Fatuma"),
    ("Hodan", "Hodaan"),
    ("Amina", "Aamina"),
    ("Sahra", "Saxra"),
    ("Ifrah", "Ifraax"),
    ("Hawa", "Xawo"),
    ("Asha", "Caasha", "Aisha"), ("Deeqa", "Deqa"), ("Fartun", "Fartuun"), ("Halima", "Xaliimo"),
    ("Hibo", "Hiba"), ("Ikran", "Ikraan"), ("Khadija", "Khadiijo"), ("Layla", "Leyla"),
    ("Maryan", "Maryam"), ("Muna", "Muuna"), ("Nasra", "Nasro"), ("Nimco", "Nimo"),
    ("Qamar", "Qamarr"), ("Rahma", "Raxma"), ("Sagal", "Sagaal"), ("Sucaad", "Suad"),
    ("Ubah", "Ubax"), ("Warda", "Wardo"), ("Yasmin", "Yasmiin"), ("Zamzam", "Samsam"),
    ("Anab", "Canab"), ("Idil", "Iidil"), ("Filsan", "Filsaan"), ("Hamdi", "Xamdi"),
    ("Ladan", "Ladaan"), ("Shukri", "Shukrii"), ("Ayaan", "Ayan"),
)  # fmt: skip

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
