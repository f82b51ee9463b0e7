"""Names for the Paris 2024 build (and LA 2028's sports): sports and events in English and Dutch, and
the Dutch for the phases of the schedule. Sport ids are ODF discipline codes, shared by every Games."""
import re
import unicodedata

# discipline code -> (English, Dutch as Dutch media say it)
SPORTS = {
    "ARC": ("Archery", "Boogschieten"),
    "ATH": ("Athletics", "Atletiek"),
    "BDM": ("Badminton", "Badminton"),
    "BK3": ("3x3 Basketball", "3x3-basketbal"),
    "BKB": ("Basketball", "Basketbal"),
    "BKG": ("Breaking", "Breaking"),
    "BMF": ("BMX Freestyle", "BMX freestyle"),
    "BMX": ("BMX Racing", "BMX"),
    "BOX": ("Boxing", "Boksen"),
    "CLB": ("Sport Climbing", "Sportklimmen"),
    "CRD": ("Road Cycling", "Wielrennen"),
    "CSL": ("Canoe Slalom", "Kanoslalom"),
    "CSP": ("Canoe Sprint", "Kanosprint"),
    "CTR": ("Track Cycling", "Baanwielrennen"),
    "DIV": ("Diving", "Schoonspringen"),
    "EQU": ("Equestrian", "Paardensport"),
    "FBL": ("Football", "Voetbal"),
    "FEN": ("Fencing", "Schermen"),
    "GAR": ("Artistic Gymnastics", "Turnen"),
    "GLF": ("Golf", "Golf"),
    "GRY": ("Rhythmic Gymnastics", "Ritmische gymnastiek"),
    "GTR": ("Trampoline", "Trampolinespringen"),
    "HBL": ("Handball", "Handbal"),
    "HOC": ("Hockey", "Hockey"),
    "JUD": ("Judo", "Judo"),
    "MPN": ("Modern Pentathlon", "Moderne vijfkamp"),
    "MTB": ("Mountain Bike", "Mountainbiken"),
    "OWS": ("Marathon Swimming", "Openwaterzwemmen"),
    "ROW": ("Rowing", "Roeien"),
    "RU7": ("Rugby Sevens", "Rugby sevens"),
    "SAL": ("Sailing", "Zeilen"),
    "SHO": ("Shooting", "Schieten"),
    "SKB": ("Skateboarding", "Skateboarden"),
    "SRF": ("Surfing", "Surfen"),
    "SWA": ("Artistic Swimming", "Artistiek zwemmen"),
    "SWM": ("Swimming", "Zwemmen"),
    "TEN": ("Tennis", "Tennis"),
    "TKW": ("Taekwondo", "Taekwondo"),
    "TRI": ("Triathlon", "Triatlon"),
    "TTE": ("Table Tennis", "Tafeltennis"),
    "VBV": ("Beach Volleyball", "Beachvolleybal"),
    "VVO": ("Volleyball", "Volleybal"),
    "WLF": ("Weightlifting", "Gewichtheffen"),
    "WPO": ("Water Polo", "Waterpolo"),
    "WRE": ("Wrestling", "Worstelen"),
    "CER": ("Ceremonies", "Ceremonies"),
}

GENDER_EN = {"M": "Men's", "W": "Women's", "X": "Mixed", "O": ""}
GENDER_NL = {"M": "mannen", "W": "vrouwen", "X": "gemengd", "O": ""}

# The part of an event's name after the gender, per sport where it needs one: (English, Dutch).
CORES = {
    "Individual": ("Individual", "Individueel"), "Team": ("Team", "Landenwedstrijd"),
    "10,000m": ("10,000 m", "10.000 meter"), "100m": ("100 m", "100 meter"), "100m Hurdles": ("100 m Hurdles", "100 meter horden"),
    "110m Hurdles": ("110 m Hurdles", "110 meter horden"), "1500m": ("1500 m", "1500 meter"), "200m": ("200 m", "200 meter"),
    "20km Race Walk": ("20 km Race Walk", "20 km snelwandelen"), "3000m Steeplechase": ("3000 m Steeplechase", "3000 meter steeple"),
    "4 x 100m Relay": ("4 × 100 m Relay", "4x100 meter estafette"), "4 x 400m Relay": ("4 × 400 m Relay", "4x400 meter estafette"),
    "400m": ("400 m", "400 meter"), "400m Hurdles": ("400 m Hurdles", "400 meter horden"), "5000m": ("5000 m", "5000 meter"),
    "800m": ("800 m", "800 meter"), "Decathlon": ("Decathlon", "Tienkamp"), "Discus Throw": ("Discus Throw", "Discuswerpen"),
    "Hammer Throw": ("Hammer Throw", "Kogelslingeren"), "Heptathlon": ("Heptathlon", "Zevenkamp"), "High Jump": ("High Jump", "Hoogspringen"),
    "Javelin Throw": ("Javelin Throw", "Speerwerpen"), "Long Jump": ("Long Jump", "Verspringen"), "Marathon": ("Marathon", "Marathon"),
    "Marathon Race Walk Relay": ("Marathon Race Walk Relay", "Marathon snelwandelen estafette"), "Pole Vault": ("Pole Vault", "Polsstokhoogspringen"),
    "Shot Put": ("Shot Put", "Kogelstoten"), "Triple Jump": ("Triple Jump", "Hink-stap-springen"),
    "Doubles": ("Doubles", "Dubbelspel"), "Singles": ("Singles", "Enkelspel"),
    "Men": ("Tournament", "Toernooi"), "Women": ("Tournament", "Toernooi"),
    "B-Boys": ("B-Boys", "B-boys"), "B-Girls": ("B-Girls", "B-girls"), "Park": ("Park", "Park"), "Street": ("Street", "Straat"),
    "Boulder & Lead": ("Boulder & Lead", "Bolderen en lead"), "Speed": ("Speed", "Speed"),
    "Individual Time Trial": ("Individual Time Trial", "Tijdrit"), "Road Race": ("Road Race", "Wegrit"),
    "Canoe Single": ("Canoe Single (C1)", "C1"), "Kayak Cross": ("Kayak Cross", "Kajakcross"), "Kayak Single": ("Kayak Single (K1)", "K1"),
    "Canoe Double 500m": ("Canoe Double (C2) 500 m", "C2 500 meter"), "Canoe Single 1000m": ("Canoe Single (C1) 1000 m", "C1 1000 meter"),
    "Canoe Single 200m": ("Canoe Single (C1) 200 m", "C1 200 meter"), "Kayak Double 500m": ("Kayak Double (K2) 500 m", "K2 500 meter"),
    "Kayak Four 500m": ("Kayak Four (K4) 500 m", "K4 500 meter"), "Kayak Single 1000m": ("Kayak Single (K1) 1000 m", "K1 1000 meter"),
    "Kayak Single 500m": ("Kayak Single (K1) 500 m", "K1 500 meter"),
    "Keirin": ("Keirin", "Keirin"), "Madison": ("Madison", "Koppelkoers"), "Omnium": ("Omnium", "Omnium"), "Sprint": ("Sprint", "Sprint"),
    "Team Pursuit": ("Team Pursuit", "Ploegachtervolging"), "Team Sprint": ("Team Sprint", "Teamsprint"),
    "10m Platform": ("10 m Platform", "10 meter toren"), "3m Springboard": ("3 m Springboard", "3 meter plank"),
    "Synchronised 10m Platform": ("Synchronised 10 m Platform", "Synchroon 10 meter toren"),
    "Synchronised 3m Springboard": ("Synchronised 3 m Springboard", "Synchroon 3 meter plank"),
    "Dressage Individual": ("Dressage Individual", "Dressuur individueel"), "Dressage Team": ("Dressage Team", "Dressuur landenwedstrijd"),
    "Eventing Individual": ("Eventing Individual", "Eventing individueel"), "Eventing Team": ("Eventing Team", "Eventing landenwedstrijd"),
    "Jumping Individual": ("Jumping Individual", "Springen individueel"), "Jumping Team": ("Jumping Team", "Springen landenwedstrijd"),
    "Foil Individual": ("Foil Individual", "Floret individueel"), "Foil Team": ("Foil Team", "Floret landenwedstrijd"),
    "Sabre Individual": ("Sabre Individual", "Sabel individueel"), "Sabre Team": ("Sabre Team", "Sabel landenwedstrijd"),
    "Épée Individual": ("Épée Individual", "Degen individueel"), "Épée Team": ("Épée Team", "Degen landenwedstrijd"),
    "All-Around": ("All-Around", "Meerkamp"), "Balance Beam": ("Balance Beam", "Balk"), "Floor Exercise": ("Floor Exercise", "Vloer"),
    "Horizontal Bar": ("Horizontal Bar", "Rek"), "Parallel Bars": ("Parallel Bars", "Brug"), "Pommel Horse": ("Pommel Horse", "Voltige"),
    "Rings": ("Rings", "Ringen"), "Uneven Bars": ("Uneven Bars", "Brug ongelijk"), "Vault": ("Vault", "Sprong"),
    "Individual Stroke Play": ("Individual Stroke Play", "Strokeplay individueel"),
    "Group All-Around": ("Group All-Around", "Groep meerkamp"), "Individual All-Around": ("Individual All-Around", "Individuele meerkamp"),
    "Cross-country": ("Cross-Country", "Cross-country"), "10km": ("10 km", "10 km"),
    "Double Sculls": ("Double Sculls", "Dubbel twee"), "Eight": ("Eight", "Acht met stuurvrouw/stuurman"), "Four": ("Four", "Vier zonder"),
    "Lightweight Double Sculls": ("Lightweight Double Sculls", "Lichte dubbel twee"), "Pair": ("Pair", "Twee zonder"),
    "Quadruple Sculls": ("Quadruple Sculls", "Dubbel vier"), "Single Sculls": ("Single Sculls", "Skiff"),
    "Dinghy": ("Dinghy", "Dinghy (ILCA)"), "Kite": ("Kite", "Kitesurfen"), "Multihull": ("Multihull", "Catamaran (Nacra 17)"),
    "Skiff": ("Skiff", "Skiff (49er)"), "Windsurfing": ("Windsurfing", "Windsurfen"),
    "10m Air Pistol": ("10 m Air Pistol", "Luchtpistool 10 meter"), "10m Air Pistol Mixed Team": ("10 m Air Pistol Team", "Luchtpistool 10 meter team"),
    "10m Air Rifle": ("10 m Air Rifle", "Luchtgeweer 10 meter"), "10m Air Rifle Mixed Team": ("10 m Air Rifle Team", "Luchtgeweer 10 meter team"),
    "25m Pistol": ("25 m Pistol", "Pistool 25 meter"), "25m Rapid Fire Pistol": ("25 m Rapid Fire Pistol", "Snelvuurpistool 25 meter"),
    "50m Rifle 3 Positions": ("50 m Rifle 3 Positions", "Kleinkalibergeweer drie houdingen 50 meter"),
    "Skeet": ("Skeet", "Skeet"), "Skeet Mixed Team": ("Skeet Team", "Skeet team"), "Trap": ("Trap", "Trap"),
    "Duet": ("Duet", "Duet"), "Relay": ("Relay", "Estafette"),
    "100m Backstroke": ("100 m Backstroke", "100 meter rugslag"), "100m Breaststroke": ("100 m Breaststroke", "100 meter schoolslag"),
    "100m Butterfly": ("100 m Butterfly", "100 meter vlinderslag"), "100m Freestyle": ("100 m Freestyle", "100 meter vrije slag"),
    "1500m Freestyle": ("1500 m Freestyle", "1500 meter vrije slag"), "200m Backstroke": ("200 m Backstroke", "200 meter rugslag"),
    "200m Breaststroke": ("200 m Breaststroke", "200 meter schoolslag"), "200m Butterfly": ("200 m Butterfly", "200 meter vlinderslag"),
    "200m Freestyle": ("200 m Freestyle", "200 meter vrije slag"), "200m Individual Medley": ("200 m Individual Medley", "200 meter wisselslag"),
    "4 x 100m Freestyle Relay": ("4 × 100 m Freestyle Relay", "4x100 meter vrije slag estafette"),
    "4 x 100m Medley Relay": ("4 × 100 m Medley Relay", "4x100 meter wisselslag estafette"),
    "4 x 200m Freestyle Relay": ("4 × 200 m Freestyle Relay", "4x200 meter vrije slag estafette"),
    "400m Freestyle": ("400 m Freestyle", "400 meter vrije slag"), "400m Individual Medley": ("400 m Individual Medley", "400 meter wisselslag"),
    "50m Freestyle": ("50 m Freestyle", "50 meter vrije slag"), "800m Freestyle": ("800 m Freestyle", "800 meter vrije slag"),
}
# Team sports whose events are "Men" and "Women": the tournament. Sports whose event is just the
# gender get another word.
CORE_BY_SPORT = {
    ("BMX", "Men"): ("Race", "Race"), ("BMX", "Women"): ("Race", "Race"),
    ("GTR", "Men"): ("Trampoline", "Trampoline"), ("GTR", "Women"): ("Trampoline", "Trampoline"),
    ("SRF", "Men"): ("Shortboard", "Shortboard"), ("SRF", "Women"): ("Shortboard", "Shortboard"),
}
WEIGHT = re.compile(r"^(?:(Freestyle|Greco-Roman) )?([+-]?)(\d+(?:\.\d+)?) ?kg$")
STYLE_NL = {"Freestyle": "vrije stijl", "Greco-Roman": "Grieks-Romeins"}


def event_core(sport: str, event: str) -> str:
    """The event's name without its gender: "Men's 100m" -> "100m", "10m Air Pistol Men" -> "10m Air Pistol"."""
    core = re.sub(r"^(Lightweight )?(Men's|Women's|Men|Women|Mixed) ", r"\1", event)
    core = re.sub(r" (Men|Women|Mixed)$", "", core)
    return core


def event_names(sport: str, event: str, gender: str) -> tuple[str, str]:
    """(English, Dutch) name of a medal event."""
    core = event_core(sport, event)
    if (sport, core) in CORE_BY_SPORT:
        en, nl = CORE_BY_SPORT[(sport, core)]
    elif core in CORES:
        en, nl = CORES[core]
    elif match := WEIGHT.match(core):
        style, sign, kilos = match.groups()
        en = f"{style + ' ' if style else ''}{sign}{kilos} kg"
        kilos_nl = kilos.replace(".", ",")
        weight_nl = {"+": f"boven {kilos_nl} kg", "-": f"tot {kilos_nl} kg", "": f"{kilos_nl} kg"}[sign]
        nl = f"{STYLE_NL[style]} {weight_nl}" if style else weight_nl
    else:
        raise SystemExit(f"no name for event {event!r} of {sport}; add it to CORES in tools/paris2024_names.py")
    if core in ("B-Boys", "B-Girls"):
        return en, nl
    english = f"{GENDER_EN[gender]} {en}".strip()
    dutch = f"{nl} {GENDER_NL[gender]}".strip()
    return english, dutch[0].upper() + dutch[1:]


def event_id(sport: str, event: str, gender: str) -> str:
    """e.g. SWM-W-100-M-FREESTYLE, JUD-M-PLUS100-KG, FBL-W-TOURNAMENT (from the English name)."""
    english = event_names(sport, event, gender)[0].removeprefix(GENDER_EN[gender]).strip()
    plain = unicodedata.normalize("NFKD", english.replace("+", "PLUS ")).encode("ascii", "ignore").decode()
    return f"{sport}-{gender}-" + "-".join(re.findall(r"[A-Za-z0-9.]+", plain)).upper()


# The Dutch for the words of a unit's phase, longest first.
PHASE_NL = [
    (r"Contests for Bronze Medals|Bronze Medal Contests|Bronze Medal Matches|Matches for Bronze Medals|Bronze Medal Match", "Strijd om brons"),
    (r"Gold Medal Contest|Gold Medal Match", "Strijd om goud"),
    (r"Elimination Round of (\d+)", r"Eliminatieronde laatste \1"), (r"Prelims - Round of (\d+)", r"Voorronde laatste \1"),
    (r"Round of (\d+)", r"Laatste \1"), (r"Table of (\d+)", r"Laatste \1"),
    (r"Group Play Stage - Grp", "Groepsfase groep"), (r"Group Phase", "Groepsfase"), (r"Preliminary Round", "Voorronde"),
    (r"Elimination Round|Elimination Rnd", "Eliminatieronde"), (r"Repechage Round|Repechages|Repechage", "Herkansing"),
    (r"Quarter-finals|Quarterfinals|Quarterfinal", "Kwartfinales"), (r"Semi-finals|Semifinals|Semi-Final|Semifinal", "Halve finales"),
    (r"Finals", "Finales"), (r"Final", "Finale"), (r"Opening Series", "Openingsseries"), (r"Medal Race", "Medaillerace"),
    (r"First Round", "Eerste ronde"), (r"Second Round", "Tweede ronde"), (r"Third Round", "Derde ronde"), (r"Round Robin", "Round robin"),
    (r"Ranking Round", "Plaatsingsronde"), (r"Round", "Ronde"), (r"Heats|Hts", "Series"), (r"Pool", "Poule"), (r"Group", "Groep"),
    (r"Pre-Qualifier", "Voorkwalificatie"), (r"Qualifications|Qualification|Qualifying|Qualifier|Qual\.", "Kwalificatie"),
    (r"Classifications|Classification|Placing", "Plaatsing"), (r"Preliminary|Prelims", "Voorronde"), (r"Matches", "wedstrijden"),
    (r"Last Chance Race", "Herkansingsrace"), (r"Scratch Race", "Scratch"), (r"Tempo Race", "Temporace"),
    (r"Elimination Race", "Afvalrace"), (r"Points Race", "Puntenkoers"), (r"lucky loser", "Lucky loser"), (r"Play-in Games", "Play-in"),
    (r"Long Jump", "Verspringen"), (r"Shot Put", "Kogelstoten"), (r"High Jump", "Hoogspringen"), (r"Discus Throw", "Discuswerpen"),
    (r"Pole Vault", "Polsstokhoogspringen"), (r"Javelin Throw", "Speerwerpen"), (r"(\d+)m Hurdles", r"\1 meter horden"),
    (r"(\d+)m\b", r"\1 meter"), (r"Dressage", "Dressuur"), (r"Cross Country", "Cross"), (r"Jumping", "Springen"),
    (r"Time Trial", "Tijdrit"), (r"Training", "Training"), (r"(\d+)st and (\d+)nd Run", r"\1e en \2e run"), (r"\band\b", "en"),
    (r"(\d+)th-(\d+)th", r"\1-\2"), (r"Competition", "Wedstrijd"), (r"Race", "Race"),
]
_PHASE_NL = re.compile("|".join(f"(?:{pattern})" for pattern, _ in PHASE_NL))


def phase_nl(english: str) -> str:
    """The Dutch of a phase, phrase by phrase (a word not in the table stays as it is)."""
    def one(match: re.Match) -> str:
        for pattern, dutch in PHASE_NL:
            if m := re.fullmatch(pattern, match[0]):
                return m.expand(dutch)
        return match[0]
    return _PHASE_NL.sub(one, english)
