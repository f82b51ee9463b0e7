"""Text helpers: matching what people type, splitting long messages, defusing mentions."""
from __future__ import annotations

import re
import unicodedata

DISCORD_LIMIT = 2000


def visible(text: str) -> str:
    """`text` without invisible format and control characters (a zero-width space pasted before
    'NED', a direction mark), line breaks and tabs becoming spaces."""
    text = (text or "").replace("\n", " ").replace("\t", " ").replace("\r", " ")
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))


def normalise(text: str) -> str:
    """Case-, accent- and spacing-insensitive form for matching; drops a leading "the "."""
    decomposed = unicodedata.normalize("NFKD", visible(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"[\s_\-.'’]+", " ", plain).strip()
    return plain[4:] if plain.startswith("the ") else plain


def safe(text: str) -> str:
    """Data text that cannot ping: '@everyone' becomes '@\u200beveryone'."""
    return (text or "").replace("@", "@\u200b")


def split_message(text: str, limit: int = DISCORD_LIMIT) -> list[str]:
    """Split at blank lines where possible, then at line breaks; a single over-long line is split
    at a space (a hard cut only as a last resort). Every part is at most `limit` characters."""
    if len(text) <= limit:
        return [text]
    return _pack((piece for block in text.split("\n\n") for piece in _fit_block(block, limit)), "\n\n", limit)


def _fit_block(block: str, limit: int) -> list[str]:
    """A block as pieces of at most `limit`, split at line breaks."""
    if len(block) <= limit:
        return [block]
    return _pack((chunk for line in block.split("\n") for chunk in _fit_line(line, limit)), "\n", limit)


def _pack(pieces, separator: str, limit: int) -> list[str]:
    """Join pieces (each within `limit`) with `separator` into as few parts as fit in `limit`."""
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _fit_line(line: str, limit: int) -> list[str]:
    chunks = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        chunks.append(line[:cut])
        line = line[cut:].lstrip(" ")
    chunks.append(line)
    return chunks
