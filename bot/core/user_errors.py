"""One sentence for every mistake a user can make, in their language."""
from __future__ import annotations

from bot.core.i18n import t
from bot.core.inputs import InvalidInput
from bot.core.models import pick
from bot.core.nations import UnknownNation
from bot.core.programme import UnknownSport


def user_message(error: Exception, language: str) -> str | None:
    """The sentence for a user error; None when `error` is not one (a bug: apologise instead)."""
    if isinstance(error, InvalidInput):
        params = {k: _quote(v) if k == "value" else v for k, v in error.params.items()}
        return t(error.key, language, **params)
    if isinstance(error, UnknownNation):
        names = ", ".join(f"{n.code} ({pick(n.name, language)})" for n in error.suggestions[:3])
        key = "error.unknown_nation" if names else "error.unknown_nation_plain"
        return t(key, language, value=_quote(error.query), suggestions=names)
    if isinstance(error, UnknownSport):
        names = ", ".join(pick(s.name, language) for s in error.suggestions[:3])
        key = "error.unknown_sport" if names else "error.unknown_sport_plain"
        return t(key, language, value=_quote(error.query), suggestions=names)
    return None


def _quote(text: str) -> str:
    """User text shown back, short and unable to break formatting or ping anyone."""
    cleaned = "".join(ch for ch in str(text) if ch.isprintable()).replace("`", "'").replace("@", "@\u200b")
    return cleaned if len(cleaned) <= 40 else cleaned[:39] + "…"
