"""Nation records for every Games build: one name, ISO code and flag per IOC code, whichever Games
names it (nations are shared by every Games in the database, so every builder must agree)."""
from __future__ import annotations

import pycountry
from babel import Locale

from beijing2022_names import FLAG_OVERRIDES, IOC_TO_ISO2 as BEIJING_IOC_TO_ISO2, NATION_NAMES as BEIJING_NAMES, NO_FLAG as BEIJING_NO_FLAG

# IOC code -> ISO 3166-1 alpha-2, for the NOCs Beijing 2022 did not have (None: no ISO country).
IOC_TO_ISO2 = dict(BEIJING_IOC_TO_ISO2) | {
    "AFG": "AF", "AIN": None, "ALG": "DZ", "ANG": "AO", "ANT": "AG", "ARU": "AW", "BAH": "BS", "BAN": "BD",
    "BAR": "BB", "BDI": "BI", "BEN": "BJ", "BER": "BM", "BHU": "BT", "BIZ": "BZ", "BOT": "BW", "BRN": "BH",
    "BRU": "BN", "BUR": "BF", "CAF": "CF", "CAM": "KH", "CAY": "KY", "CGO": "CG", "CHA": "TD", "CIV": "CI",
    "CMR": "CM", "COD": "CD", "COK": "CK", "COM": "KM", "CPV": "CV", "CRC": "CR", "CUB": "CU", "DJI": "DJ",
    "DMA": "DM", "DOM": "DO", "EGY": "EG", "EOR": None, "ESA": "SV", "ETH": "ET", "FIJ": "FJ", "FSM": "FM",
    "GAB": "GA", "GAM": "GM", "GBS": "GW", "GEQ": "GQ", "GRN": "GD", "GUA": "GT", "GUI": "GN", "GUM": "GU",
    "GUY": "GY", "HON": "HN", "INA": "ID", "IRQ": "IQ", "IVB": "VG", "JOR": "JO", "KEN": "KE", "KIR": "KI",
    "KUW": "KW", "LAO": "LA", "LBA": "LY", "LBR": "LR", "LCA": "LC", "LES": "LS", "MAW": "MW", "MDV": "MV",
    "MHL": "MH", "MLI": "ML", "MOZ": "MZ", "MRI": "MU", "MTN": "MR", "MYA": "MM", "NAM": "NA", "NCA": "NI",
    "NEP": "NP", "NIG": "NE", "NRU": "NR", "OMA": "OM", "PAN": "PA", "PAR": "PY", "PLE": "PS", "PLW": "PW",
    "PNG": "PG", "PRK": "KP", "QAT": "QA", "RSA": "ZA", "RWA": "RW", "SAM": "WS", "SEN": "SN", "SEY": "SC",
    "SGP": "SG", "SKN": "KN", "SLE": "SL", "SOL": "SB", "SOM": "SO", "SRI": "LK", "SSD": "SS", "STP": "ST",
    "SUD": "SD", "SUR": "SR", "SWZ": "SZ", "SYR": "SY", "TAN": "TZ", "TGA": "TO", "TJK": "TJ", "TKM": "TM",
    "TOG": "TG", "TUN": "TN", "TUV": "TV", "UAE": "AE", "UGA": "UG", "URU": "UY", "VAN": "VU", "VEN": "VE",
    "VIE": "VN", "VIN": "VC", "YEM": "YE", "ZAM": "ZM", "ZIM": "ZW",
}

# Olympic names where they differ from the country name Babel gives: (English, Dutch).
NATION_NAMES = dict(BEIJING_NAMES) | {
    "AIN": ("Individual Neutral Athletes", "Individuele neutrale atleten"),
    "EOR": ("Refugee Olympic Team", "Olympisch vluchtelingenteam"),
    "PRK": ("North Korea", "Noord-Korea"),
    "COD": ("DR Congo", "DR Congo"),
    "CGO": ("Congo", "Congo-Brazzaville"),
    "PLE": ("Palestine", "Palestina"),
    "IVB": ("Virgin Islands, British", "Britse Maagdeneilanden"),
    "FSM": ("Micronesia", "Micronesia"),
    "LAO": ("Laos", "Laos"),
    "BRU": ("Brunei", "Brunei"),
    "SYR": ("Syria", "Syrië"),
    "TAN": ("Tanzania", "Tanzania"),
    "VIE": ("Vietnam", "Vietnam"),
    "CPV": ("Cape Verde", "Kaapverdië"),
    "SWZ": ("Eswatini", "Eswatini"),
}
# Competed without a national flag: ROC and AIN (neutral), TPE (its Olympic flag), EOR (the Olympic flag).
NO_FLAG = set(BEIJING_NO_FLAG) | {"AIN", "EOR"}

_ENGLISH, _DUTCH = Locale("en").territories, Locale("nl").territories


def flag(iso2: str | None) -> str | None:
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in iso2) if iso2 else None


def nation_record(code: str) -> dict:
    """The data set record of one NOC (the same for every Games)."""
    if code not in IOC_TO_ISO2:
        raise SystemExit(f"no ISO code for NOC {code!r}; add it to IOC_TO_ISO2 in tools/olympic_nations.py")
    iso2 = IOC_TO_ISO2[code]
    en, nl = NATION_NAMES[code] if code in NATION_NAMES else (_ENGLISH[iso2], _DUTCH[iso2])
    country = pycountry.countries.get(alpha_2=iso2) if iso2 else None
    return {
        "code": code,
        "name": {"en": en, "nl": nl},
        "iso2": iso2,
        "iso3": country.alpha_3 if country else None,
        "flag": None if code in NO_FLAG else FLAG_OVERRIDES.get(code) or flag(iso2),
    }
