"""Names for the LA 2028 build: the ticketing site's sport names -> ODF discipline codes (the ids
Paris 2024 uses, with the same English and Dutch names), and the round types in Dutch."""
from paris2024_names import SPORTS as PARIS_SPORTS

# sport code -> (English, Dutch): Paris 2024's, and the sports new in 2028.
SPORTS = dict(PARIS_SPORTS) | {
    "BSB": ("Baseball", "Honkbal"),
    "SBL": ("Softball", "Softbal"),
    "CKT": ("Cricket", "Cricket"),
    "FFB": ("Flag Football", "Flagfootball"),
    "LAX": ("Lacrosse", "Lacrosse"),
    "SQU": ("Squash", "Squash"),
    "CRW": ("Coastal Rowing", "Kustroeien"),
}

# The source's sport (the ticketing site's name) -> sport code.
SPORT_CODES = {
    "Archery": "ARC", "Athletics (Marathon)": "ATH", "Athletics (Race Walk)": "ATH", "Athletics (Track & Field)": "ATH",
    "Badminton": "BDM", "3x3 Basketball": "BK3", "Basketball": "BKB", "BMX Freestyle": "BMF", "BMX Racing": "BMX",
    "Boxing - Finals": "BOX", "Boxing - Prelims": "BOX", "Baseball": "BSB", "Softball": "SBL", "Ceremony": "CER",
    "Cricket": "CKT", "Climbing": "CLB", "Cycling Road (Road Race)": "CRD", "Cycling Road (Time Trial)": "CRD",
    "Canoe Slalom": "CSL", "Canoe Sprint": "CSP", "Cycling Track": "CTR", "Diving": "DIV", "Equestrian": "EQU",
    "Football (Soccer)": "FBL", "Fencing": "FEN", "Flag Football": "FFB", "Artistic Gymnastics": "GAR", "Golf": "GLF",
    "Rhythmic Gymnastics": "GRY", "Trampoline Gymnastics": "GTR", "Handball": "HBL", "Hockey": "HOC", "Judo": "JUD",
    "Lacrosse": "LAX", "Modern Pentathlon": "MPN", "Mountain Bike": "MTB", "Open Water Swimming": "OWS",
    "Rowing Coastal": "CRW", "Rowing": "ROW", "Rugby Sevens": "RU7", "Sailing (D/S/M)": "SAL", "Sailing (W/K)": "SAL",
    "Shooting (R/P)": "SHO", "Shooting (Shotgun)": "SHO", "Skateboarding": "SKB", "Skateboarding (Park)": "SKB",
    "Skateboarding (Street)": "SKB", "Squash": "SQU", "Surfing": "SRF", "Artistic Swimming": "SWA", "Swimming": "SWM",
    "Tennis": "TEN", "Taekwondo": "TKW", "Triathlon": "TRI", "Table Tennis": "TTE", "Beach Volleyball": "VBV",
    "Volleyball": "VVO", "Weightlifting": "WLF", "Water Polo": "WPO", "Wrestling": "WRE",
}

# round type -> (English, Dutch)
ROUNDS = {
    "Prelim": ("Preliminaries", "Voorronde"), "QF": ("Quarterfinals", "Kwartfinales"), "Semi": ("Semifinals", "Halve finales"),
    "Final": ("Final", "Finale"), "Bronze": ("Bronze medal", "Strijd om brons"), "Ceremony": ("Ceremony", "Ceremonie"),
}
