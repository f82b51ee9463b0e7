"""Every format `python -m bot import` reads, told apart by content (never by file name):

- Podium's own JSON data set (a JSON object with "format"), docs/data-format.md;
- the IOC's ODF schedule message (XML, root OdfBody with DocumentType DT_SCHEDULE), odf.py;
- the CSV layout of the community data sets (told by the header's columns), csv_layout.py.

Each format module turns its input into a data set document, which goes through the same checks
as a JSON file (bot/data/dataset.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.models import GamesData
from bot.data.dataset import DatasetError, parse_dataset
from bot.data.formats.common import Overrides, SourceProblems, read_text
from bot.data.formats.csv_layout import match_layout, header_of, read_csv_files
from bot.data.formats.odf import read_odf

__all__ = ["Imported", "Overrides", "read_games", "detect"]


@dataclass
class Imported:
    data: GamesData
    fmt: str
    derived: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect(text: str) -> str:
    """'json', 'odf' or 'csv', from the first characters of the content."""
    start = text.lstrip()[:1]
    return "json" if start in ("{", "[") else "odf" if start == "<" else "csv"


def read_games(paths: list[Path], overrides: Overrides | None = None) -> Imported:
    """Read and check files (or a folder of them) of one format into one Games; raises DatasetError
    with every problem and its place."""
    overrides = overrides or Overrides()
    files, ignored = _gather(paths)
    kinds = {kind for kind, _, _ in files}
    if not files:
        raise SourceProblems(", ".join(map(str, paths)), ["no data set, ODF schedule or CSV file of a known layout here"
                                                          + (f" (ignored: {', '.join(ignored)})" if ignored else "")])
    if len(kinds) > 1:
        listing = "; ".join(f"{path.name}: {kind}" for kind, path, _ in files)
        raise SourceProblems(", ".join(map(str, paths)), [f"the files are of different formats ({listing}); import one format at a time"])
    kind = kinds.pop()
    pairs = [(path, text) for _, path, text in files]
    if kind == "json":
        if len(pairs) > 1:
            raise SourceProblems(", ".join(str(p) for p, _ in pairs), ["more than one Podium JSON data set; import one at a time"])
        return _json(*pairs[0], overrides)
    converted = read_odf(pairs, overrides) if kind == "odf" else read_csv_files(pairs, overrides)
    if ignored:
        converted.skipped.append(f"ignored (not of a known layout): {', '.join(ignored)}")
    return Imported(converted.check(), converted.fmt, converted.derived, converted.skipped, converted.warnings)


def _gather(paths: list[Path]) -> tuple[list[tuple[str, Path, str]], list[str]]:
    """(format, path, text) of every file; the files of a folder that are of no known kind are
    ignored (a README), while a file named on its own must be of a known kind."""
    files, ignored, problems = [], [], []
    for path in paths:
        if path.is_dir():
            for member in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")):
                try:
                    text = read_text(member)
                except DatasetError:
                    ignored.append(member.name)
                    continue
                kind = detect(text)
                if kind == "csv" and match_layout(header_of(text))[0] is None:
                    ignored.append(member.name)
                    continue
                files.append((kind, member, text))
            continue
        try:
            text = read_text(path)
        except DatasetError as error:
            problems += [f"{error.source}: {p}" for p in error.problems]
            continue
        files.append((detect(text), path, text))
    if problems:
        raise SourceProblems(", ".join(map(str, paths)), problems)
    return files, ignored


def _json(path: Path, text: str, overrides: Overrides) -> Imported:
    derived = []
    if overrides.games_id or overrides.name or overrides.timezone:
        document = None
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            pass  # parse_dataset says what is wrong with it
        if isinstance(document, dict) and isinstance(document.get("games"), dict):
            games = document["games"]
            for key, value, flag in (("id", overrides.games_id, "--games-id"), ("name", overrides.name, "--name"),
                                     ("host_timezone", overrides.timezone, "--timezone")):
                if value:
                    games[key] = {"en": value} if key == "name" else value
                    derived.append(f"Games {key} {value} ({flag})")
            text = json.dumps(document, ensure_ascii=False)
    return Imported(parse_dataset(text, str(path)), "Podium JSON", derived)
