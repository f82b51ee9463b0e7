"""The IOC's Olympic Data Feed schedule message (ODF `DT_SCHEDULE` XML) as a data set document.

One message per discipline; several messages of one competition are read together as one Games.
XML is parsed with defusedxml and no DTD at all: no entity expansion, no external entities.
Each ODF competition unit becomes a session; units of one event code (its first 22 characters)
make one event. Names are taken by their Language attribute (ENG -> en, FRA -> fr)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from bot.data.formats.common import Converted, Overrides, SourceProblems, catalogue, derive_games, empty_document, sport_record

GENDERS = {"M": "M", "W": "W", "X": "X", "-": "O"}
LANGUAGES = {"ENG": "en", "FRA": "fr"}
COMPETITION = "3"  # PhaseType of a competition unit
LEFT_OUT = {"6": "victory or venue ceremony unit(s)", "7": "draw unit(s)", "4": "meeting unit(s)"}
PHASE_LABELS = {"FNL": "Final", "SFNL": "Semifinal", "QFNL": "Quarterfinal", "HEAT": "Heats", "QUAL": "Qualification"}
GENDER_WORDS = ("Men's", "Women's", "Mixed", "Men", "Women", "Open")


class _LineBuilder(TreeBuilder):
    """An element tree whose elements know the line they start on (`element.line`)."""

    def __init__(self):
        super().__init__(element_factory=_Element)
        self.parser = None

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        element.line = self.parser.parser.CurrentLineNumber
        return element


class _Element(Element):
    line = 0


def parse_xml(path: Path, text: str) -> _Element:
    """The root element, or a clear problem; a DTD (and with it every entity) is refused unread."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(text)
        return parser.close()
    except DTDForbidden:
        problem = ("has a document type declaration (<!DOCTYPE ...>), which can declare entities that expand or read other "
                   "files; an ODF message has none, so the file is refused without reading it")
    except (EntitiesForbidden, ExternalReferenceForbidden):
        problem = "declares or refers to XML entities; they are never expanded or fetched, so the file is refused"
    except DefusedXmlException as error:
        problem = f"uses an XML feature refused for safety ({type(error).__name__})"
    except ParseError as error:
        line, column = error.position
        truncated = " (the file ends too early: is it truncated?)" if "no element found" in str(error) or "unclosed token" in str(error) else ""
        problem = f"line {line} column {column + 1}: not well-formed XML: {str(error).split(':')[0]}{truncated}"
    raise SourceProblems(str(path), [problem])


def read_odf(files: list[tuple[Path, str]], overrides: Overrides) -> Converted:
    """Several DT_SCHEDULE messages (one per discipline) -> one Games' data set document."""
    source = ", ".join(str(p) for p, _ in files)
    converted = Converted(source, "ODF DT_SCHEDULE", empty_document())
    problems: list[str] = []
    units, competitions = [], {}
    for path, text in files:
        root = parse_xml(path, text)
        where = f"{path.name} line {root.line}, <{root.tag}>"
        if root.tag != "OdfBody" or root.get("DocumentType") != "DT_SCHEDULE":
            problems.append(f"{where}: expected an ODF schedule message (root OdfBody with DocumentType=\"DT_SCHEDULE\"); "
                            f"got root <{root.tag}> with DocumentType {root.get('DocumentType')!r}")
            continue
        discipline = (root.get("DocumentCode") or "")[:3]
        if discipline not in catalogue().sports:
            known = ", ".join(sorted(catalogue().sports)[:12])
            problems.append(f"{where}, attribute DocumentCode: unknown discipline {discipline!r}; expected an ODF discipline code ({known}, ...)")
            continue
        competitions[path.name] = root.get("CompetitionCode") or ""
        units += [(path, discipline, unit) for unit in root.iter("Unit")]
    if len(set(competitions.values())) > 1:
        problems.append("the messages are of different competitions (" + ", ".join(f"{n}: {c}" for n, c in competitions.items())
                        + "); import one Games at a time")
    if problems:
        raise SourceProblems(source, problems)
    _convert(converted, units, problems)
    if problems:
        raise SourceProblems(source, problems)
    if not converted.document["sessions"]:
        raise SourceProblems(source, ["no unit of these messages has a time yet (" + ", ".join(converted.skipped)
                                      + " left out); there is nothing to import"])
    code = next(iter(competitions.values()), "")
    starts = [datetime.fromisoformat(s.get("start") or s["date"] + "T12:00:00+00:00") for s in converted.document["sessions"]]
    year = re.search(r"\d{4}", code)
    winter = code.upper().startswith("OWG")
    fallback = f"Olympic {'Winter ' if winter else ''}Games {year[0] if year else ''}".strip()
    derive_games(converted, starts, overrides, fallback_id=re.sub(r"[^a-z0-9]+", "-", fallback.lower()), fallback_name=fallback,
                 why=f"from CompetitionCode {code!r} and the times' offsets")
    return converted


def _convert(converted: Converted, units: list, problems: list[str]) -> None:
    document = converted.document
    left_out, hidden, unscheduled = Counter(), 0, 0
    bronze_events = {u.get("Code", "")[:22] for _, _, u in units if u.get("Medal") == "3"}
    names_of = defaultdict(list)  # event code -> [{language: name}] of its scheduled units, for the event's name
    finals = {}  # event code -> the names of its final (scheduled or not)
    kept = []
    for path, discipline, unit in units:
        code = unit.get("Code") or ""
        where = f"{path.name} line {unit.line}, <Unit Code=\"{code}\">"
        names = _names(unit)
        if "en" not in names:
            problems.append(f"{where}: no <ItemName Language=\"ENG\">; every unit needs its English name")
            continue
        if len(code) < 22 or code[3] not in GENDERS:
            problems.append(f"{where}, attribute Code: expected a 34-character ODF unit code (discipline, gender M/W/X/-, event, phase, unit)")
            continue
        phase_type = unit.get("PhaseType")
        if code[22:32] == "FNL-000100":
            finals[code[:22]] = names
        if phase_type in LEFT_OUT:
            left_out[LEFT_OUT[phase_type]] += 1
            continue
        if unit.get("ScheduleStatus") == "UNSCHEDULED" or not unit.get("StartDate"):
            unscheduled += 1
            continue
        times = _times(unit, where, problems)
        if times is None:
            continue
        medal = unit.get("Medal")
        if medal not in (None, "1", "3"):
            problems.append(f"{where}, attribute Medal: expected \"1\" (the unit that awards gold) or \"3\" (bronze only); got {medal!r}")
            continue
        hidden += "date" in times
        if phase_type == COMPETITION:
            names_of[code[:22]].append(names)
        kept.append((path, discipline, unit, code, names, times, phase_type))

    events, sports, first_place = {}, {}, {}
    for path, discipline, unit, code, names, times, phase_type in kept:
        record = {"id": code}
        sport_code = code[:3] if code[:3] in catalogue().sports else discipline
        where = f"{path.name} line {unit.line}, <Unit Code=\"{code}\">"
        if sport_code not in sports:
            sports[sport_code] = sport_record(sport_code)
            first_place[("sports", sport_code)] = where
        if phase_type == COMPETITION:
            event_code = code[:22]
            event_names, unit_names = _split(names_of[event_code], names, code)
            if event_code not in events:
                if event_names["en"] in GENDER_WORDS:  # the units share no more than "Men's": name it after its final
                    event_names = _final_name(finals.get(event_code)) or {"en": f"{event_names['en']} {sports[sport_code]['name']['en']}"}
                events[event_code] = {"id": event_code.rstrip("-"), "sport": sport_code, "gender": GENDERS[code[3]], "name": event_names}
                first_place[("events", events[event_code]["id"])] = where
            record.update({"event": events[event_code]["id"], "unit": unit_names})
        else:  # a ceremony or anything else that is no part of a medal event
            record.update({"sport": sport_code, "events_text": names, "unit": names})
        medals = {"1": ["gold", "silver"] if code[:22] in bronze_events else ["gold", "silver", "bronze"], "3": ["bronze"]}.get(unit.get("Medal"), [])
        record.update(times)
        record.update({"venue": _venue(unit), "medals": medals if phase_type == COMPETITION else [], "nations": []})
        if unit.get("ScheduleStatus") == "CANCELLED":
            record["status"] = "cancelled"
        converted.places[("sessions", len(document["sessions"]))] = where
        document["sessions"].append(record)
    document["events"] = list(events.values())
    document["sports"] = list(sports.values())
    for kind in ("events", "sports"):  # a problem with one names the unit it came from
        for index, record in enumerate(document[kind]):
            converted.places[(kind, index)] = first_place[(kind, record["id"])]
    converted.derived.append(f"{len(events)} events from the units' event codes, named by what their units' English names share")
    if hidden:
        converted.derived.append(f"{hidden} unit(s) with a placeholder time (HideStartDate, or no length) listed on their day as time to be announced")
    if unscheduled:
        converted.skipped.append(f"{unscheduled} unscheduled unit(s) without times")
    for kind, count in sorted(left_out.items()):
        converted.skipped.append(f"{count} {kind}")


def _names(element) -> dict:
    """{language: name} from ItemName elements, chosen by their Language attribute, never by position."""
    names = {}
    for item in element.findall("ItemName"):
        language = LANGUAGES.get(item.get("Language") or "")
        value = (item.get("Value") or "").strip()
        if language and value:
            names.setdefault(language, value)
    return names


def _times(unit, where: str, problems: list[str]) -> dict | None:
    """{"start", "end"} as given, or {"date"} for a unit whose start is a hidden placeholder."""
    parsed = {}
    for attribute in ("StartDate", "EndDate"):
        value = unit.get(attribute)
        if value is None and attribute == "EndDate":
            continue
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            instant = None
        if instant is None or instant.tzinfo is None:
            problems.append(f"{where}, attribute {attribute}: expected an ISO 8601 date-time with offset like 2024-08-04T21:50:00+02:00; got {value!r}")
            return None
        parsed[attribute] = instant
    start, end = parsed["StartDate"], parsed.get("EndDate")
    # A placeholder: the day is known, the time is not. Said by HideStartDate, or by a unit with no
    # length (the session's start given as start and end) or one that ends before it starts.
    if unit.get("HideStartDate") == "Y" or (end is not None and end <= start):
        return {"date": start.date().isoformat()}
    if end is None or unit.get("HideEndDate") == "Y":
        end = start + timedelta(minutes=1)  # the format needs an end after the start
    return {"start": start.isoformat(), "end": end.isoformat()}


def _venue(unit) -> str:
    description = unit.find("VenueDescription")
    name = description.get("VenueName") if description is not None else None
    return (name or unit.get("Venue") or "TBD").strip() or "TBD"


def _split(all_names: list[dict], names: dict, code: str) -> tuple[dict, dict]:
    """(the event's name, this unit's label): the words every unit name of the event starts with,
    and what is left of this unit's name ("Men's 100m" and "Final")."""
    event, unit = {}, {}
    for language in names:
        texts = [n[language] for n in all_names if language in n and not n[language].endswith("...")] or [names[language]]
        common = _common_words(texts)
        if len(texts) == 1 and code[22:26] == "FNL-":  # a single final: "Mixed Relay Final" is the event "Mixed Relay"
            common = re.sub(r"[\s,-]*(final|finale)$", "", common, flags=re.IGNORECASE)
        event[language] = common or names[language]
        rest = names[language][len(common):].strip(" -,") if common else ""
        unit[language] = rest or PHASE_LABELS.get(code[22:26].strip("-"), "Final" if "FNL" in code[22:] else names[language])
    return event, unit


def _final_name(names: dict | None) -> dict | None:
    """The English name of the event's final without the word "Final" ("Women's 4 x 200m Freestyle Relay")."""
    name = re.sub(r"\s*-?\s*(Final|Gold Medal (Match|Game))$", "", (names or {}).get("en", "")).strip()
    return {"en": name} if name and name not in GENDER_WORDS else None


def _common_words(texts: list[str]) -> str:
    words = [t.split() for t in texts]
    common = []
    for group in zip(*words):
        if any(word != group[0] for word in group):
            break
        common.append(group[0])
    return " ".join(common).strip(" -,")
