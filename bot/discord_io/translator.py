"""Dutch names and descriptions for the slash commands (discord.py's Translator).

The English text in the command declarations is the key; Discord shows the Dutch text to
members whose client is set to Dutch."""
from __future__ import annotations

import discord
from discord import app_commands

DUTCH: dict[str, str] = {
    # command names and descriptions
    "medals": "medailles",
    "The medal table, or one nation's medals and medallists": "De medaillespiegel, of de medailles en medaillewinnaars van één land",
    "programme": "programma",
    "The programme of a day, as in the evening alert": "Het programma van een dag, zoals in het avondbericht",
    "results": "uitslagen",
    "The medallists of a day, or every placing of one nation": "De medaillewinnaars van een dag, of alle klasseringen van één land",
    "subscribe": "abonneren",
    "Put a channel on the evening alert with tomorrow's programme": "Zet een kanaal op het avondbericht met het programma van morgen",
    "unsubscribe": "opzeggen",
    "Take a channel off the evening alert": "Haal een kanaal van het avondbericht af",
    "subscriptions": "abonnementen",
    "This server's channels on the evening alert": "De kanalen van deze server op het avondbericht",
    "calendar": "kalender",
    "The sessions still to come as a calendar file (.ics)": "De wedstrijden die nog komen als agendabestand (.ics)",
    "about": "over",
    "What Podium knows and where its facts come from": "Wat Podium weet en waar de gegevens vandaan komen",
    # option names and descriptions
    "country": "land",
    "Nation: IOC or ISO code or name, e.g. NED or Netherlands": "Land: IOC- of ISO-code of naam, bijv. NED of Nederland",
    "Focus nation: its sessions are marked, its medals reported": "Focusland: zijn wedstrijden worden gemarkeerd, zijn medailles gemeld",
    "date": "datum",
    "Day as YYYY-MM-DD": "Dag als JJJJ-MM-DD",
    "sport": "sport",
    "Only this sport": "Alleen deze sport",
    "Only the sessions this nation takes part in": "Alleen de wedstrijden waaraan dit land meedoet",
    "channel": "kanaal",
    "Text channel (default: this one)": "Tekstkanaal (standaard: dit kanaal)",
    "time": "tijd",
    "Local time of the alert, HH:MM (default 20:00)": "Lokale tijd van het bericht, UU:MM (standaard 20:00)",
    "timezone": "tijdzone",
    "IANA time zone, e.g. Europe/Amsterdam": "IANA-tijdzone, bijv. Europe/Amsterdam",
    "language": "taal",
    "Language of the alert": "Taal van het bericht",
    "spoilers": "spoilers",
    "Medal posts and results (default on); off for those who watch later": "Medailleberichten en uitslagen (standaard aan); uit voor wie later kijkt",
    "full_programme": "volledig_programma",
    "Every session of the day, in as many messages as it takes (default off: at most three)":
        "Alle wedstrijden van de dag, in zoveel berichten als nodig (standaard uit: hooguit drie)",
    "games": "spelen",
    "Which Games, e.g. Milano Cortina 2026 or 2026 (default: the one running, next or last)":
        "Welke Spelen, bijv. Milaan-Cortina 2026 of 2026 (standaard: de lopende, volgende of vorige)",
    "English": "Engels",
    "Dutch": "Nederlands",
}


class PodiumTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale, context) -> str | None:
        if locale is discord.Locale.dutch:
            return DUTCH.get(string.message)
        return None
