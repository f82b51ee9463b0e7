"""Every user-facing sentence, in English and Dutch, and localised dates (Babel)."""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as babel_format_date

from bot.core.models import LANGUAGES

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "programme.title.tomorrow": "**Tomorrow's programme — {date}**",
        "programme.title.day": "**Programme for {date}**",
        "programme.subtitle.none": "Times in {zone}",
        "programme.subtitle.one": "Times in {zone} · 1 medal event",
        "programme.subtitle.many": "Times in {zone} · {count} medal events",
        "programme.empty": "No competitions on {date}.",
        "programme.time_tbd": "time TBA",
        "programme.cancelled": "cancelled",
        "programme.focus": "**{nation} in action**",
        "programme.more": "+{count} more",
        "programme.venues": "{count} venues",
        "programme.shortened": "_{hidden} of the {total} sessions are not listed; `/subscribe full_programme:True` posts them all._",
        "games.about": "🏟️ **{games}**",
        "table.title": "**Medal table**",
        "about.title": "**Podium** · the Olympic programme every evening, medals and results. The Games it knows and where their facts come from:",
        "about.source": "Source: {name} <{url}> · terms: {terms}",
        "about.none": "No Games are loaded yet.",
        "table.title_as_of": "**Medal table — as of {date}**",
        "table.header": "Nation",
        "table.columns": "G  S  B   T",
        "table.showing": "Showing {shown} of {total} nations",
        "table.empty": "No medals have been decided yet.",
        "nation.summary": "{nation} — rank {rank} · 🥇 {gold} 🥈 {silver} 🥉 {bronze} · {total}",
        "nation.total.one": "1 medal",
        "nation.total.many": "{count} medals",
        "nation.as_of": "As of {date}",
        "nation.none": "{nation} has not won a medal yet.",
        "nation.none_as_of": "{nation} had not won a medal by the end of {date}.",
        "results.title": "**Results — {date}**",
        "results.none": "No medals were decided on {date}.",
        "placings.title": "**Results for {nation} — {date}**",
        "placings.none": "No results for {nation} on {date} (yet).",
        "placings.run_places": "places of this run or round alone",
        "placings.race_places": "places within each race",
        "alert.focus_placings": "**Today for {nation}**",
        "alert.countdown": "🎉 **{games} starts tomorrow!**",
        "alert.focus_medals": "Today for {nation}: {medals}",
        "alert.more_placings": "_+{count} more results: /results with country_",
        "alert.rest_day": "No competitions tomorrow, {date}: a rest day.",
        "live.won": "{icon} **{nation} wins {medal}!** {event}: {competitor}",
        "live.reallocated_to": "{icon} **Correction: {nation} now has the {medal}** in {event}: {competitor} (the result was changed).",
        "live.reallocated_from": "**Correction:** the {medal} in {event} no longer goes to {nation} ({competitor}); the result was changed.",
        "live.changed": "{icon} **Correction: {nation} now has {medal}** in {event} (was {was}): {competitor}.",
        "live.medal.gold": "gold",
        "live.medal.silver": "silver",
        "live.medal.bronze": "bronze",
        "live.moved": "⏰ **Schedule change:** {session} now starts at {time} (was {was}).",
        "live.cancelled": "❌ **Cancelled:** {session} ({was}).",
        "button.show_all": "Show all nations",
        "calendar.medal": "Medal event",
        "calendar.ready.none": "📅 No sessions{filter} of {games} are still to come; the calendar file is empty.",
        "calendar.ready.one": "📅 The 1 session{filter} of {games} still to come, as a calendar file to import into your calendar app.",
        "calendar.ready.many": "📅 The {count} sessions{filter} of {games} still to come, as a calendar file to import into your calendar app.",
        "language.en": "English",
        "language.nl": "Dutch",
        "subscription.line": "{channel}: every evening at {time} ({timezone}), in {alert_language}",
        "subscription.sport": "only {sport}",
        "subscription.no_spoilers": "no spoilers",
        "subscription.full_programme": "full programme",
        "subscription.focus": "focus: {nation}",
        "subscription.paused": "⏸ paused: {reason} (fix it, then /subscribe again)",
        "subscribe.created": "✅ {channel} is now on the evening alert.",
        "subscribe.updated": "✅ The evening alert for {channel} is updated.",
        "subscribe.first_alert": "First alert: {when} ({relative}).",
        "unsubscribe.done": "{channel} is off the evening alert.",
        "unsubscribe.not_subscribed": "{channel} was not on the evening alert.",
        "subscriptions.none": "No channel of this server is on the evening alert; /subscribe puts one on.",
        "subscriptions.title": "**Evening alert — {count} channel(s)**",
        "error.bad_date": "'{value}' is not a date; use YYYY-MM-DD, e.g. 2022-02-15.",
        "error.date_out_of_range": "'{value}' is outside the days I can show; use a date from {first} to {last}.",
        "error.bad_time": "'{value}' is not a time of day; use HH:MM in 24-hour time, e.g. 20:00.",
        "error.bad_timezone": "'{value}' is not a time zone; use an IANA name such as {suggestions}.",
        "error.bad_language": "'{value}' is not a language I speak; use one of: {choices}.",
        "error.unknown_nation": "I don't know the nation '{value}'. Did you mean {suggestions}?",
        "error.unknown_nation_plain": "I don't know the nation '{value}'; use an IOC or ISO code (NED, NL) or a name (Netherlands).",
        "error.unknown_sport": "I don't know the sport '{value}'. Did you mean {suggestions}?",
        "error.unknown_sport_plain": "I don't know the sport '{value}'; pick one from the list, e.g. Speed Skating.",
        "error.no_games": "No Games are loaded yet; the bot's operator can import one with `python -m bot import FILE`.",
        "error.unknown_games": "I don't know the Games '{value}'; the loaded Games are: {choices}.",
        "error.ambiguous_games": "'{value}' fits more than one Games: {choices}. Name one of them.",
        "error.other_server": "That channel is not in this server; pick a channel of this server.",
        "error.not_text_channel": "{channel} is not a text channel; pick a text channel.",
        "error.not_manager": "You need the Manage Channels permission in {channel} to do that.",
        "error.no_permission": "You need the Manage Channels permission to do that.",
        "error.bot_cannot_post": "I can't post in {channel}: I am missing {missing} there. Give me those permissions and try again.",
        "error.bad_channel": "That channel can't be used; pick a text channel of this server.",
        "error.guild_only": "This command works in a server, not in direct messages.",
        "error.unexpected": "Sorry, something went wrong on my side. Please try again in a moment.",
    },
    "nl": {
        "programme.title.tomorrow": "**Het programma van morgen — {date}**",
        "programme.title.day": "**Programma voor {date}**",
        "programme.subtitle.none": "Tijden in {zone}",
        "programme.subtitle.one": "Tijden in {zone} · 1 medaillebeslissing",
        "programme.subtitle.many": "Tijden in {zone} · {count} medaillebeslissingen",
        "programme.empty": "Geen wedstrijden op {date}.",
        "programme.time_tbd": "tijd n.n.b.",
        "programme.cancelled": "afgelast",
        "programme.focus": "**{nation} in actie**",
        "programme.more": "+{count} meer",
        "programme.venues": "{count} locaties",
        "programme.shortened": "_{hidden} van de {total} sessies staan er niet bij; met `/abonneren volledig_programma:True` komen ze er allemaal in._",
        "games.about": "🏟️ **{games}**",
        "table.title": "**Medaillespiegel**",
        "about.title": "**Podium** · elke avond het olympisch programma, medailles en uitslagen. De Spelen die het kent en waar hun gegevens vandaan komen:",
        "about.source": "Bron: {name} <{url}> · voorwaarden: {terms}",
        "about.none": "Er zijn nog geen Spelen geladen.",
        "table.title_as_of": "**Medaillespiegel — stand {date}**",
        "table.header": "Land",
        "table.columns": "G  Z  B   T",
        "table.showing": "{shown} van {total} landen",
        "table.empty": "Er zijn nog geen medailles verdeeld.",
        "nation.summary": "{nation} — plaats {rank} · 🥇 {gold} 🥈 {silver} 🥉 {bronze} · {total}",
        "nation.total.one": "1 medaille",
        "nation.total.many": "{count} medailles",
        "nation.as_of": "Stand {date}",
        "nation.none": "{nation} heeft nog geen medaille gewonnen.",
        "nation.none_as_of": "{nation} had aan het eind van {date} nog geen medaille gewonnen.",
        "results.title": "**Uitslagen — {date}**",
        "results.none": "Op {date} zijn geen medailles verdeeld.",
        "placings.title": "**Uitslagen voor {nation} — {date}**",
        "placings.none": "(Nog) geen uitslagen voor {nation} op {date}.",
        "placings.run_places": "plaatsen van alleen deze run of ronde",
        "placings.race_places": "plaatsen binnen elke race",
        "alert.focus_placings": "**Vandaag voor {nation}**",
        "alert.countdown": "🎉 **{games} begint morgen!**",
        "alert.focus_medals": "Vandaag voor {nation}: {medals}",
        "alert.more_placings": "_+{count} meer uitslagen: /uitslagen met land_",
        "alert.rest_day": "Morgen, {date}, zijn er geen wedstrijden: een rustdag.",
        "live.won": "{icon} **{nation} wint {medal}!** {event}: {competitor}",
        "live.reallocated_to": "{icon} **Correctie: {nation} heeft nu {medal}** bij {event}: {competitor} (de uitslag is gewijzigd).",
        "live.reallocated_from": "**Correctie:** het {medal} bij {event} gaat niet meer naar {nation} ({competitor}); de uitslag is gewijzigd.",
        "live.changed": "{icon} **Correctie: {nation} heeft nu {medal}** bij {event} (was {was}): {competitor}.",
        "live.medal.gold": "goud",
        "live.medal.silver": "zilver",
        "live.medal.bronze": "brons",
        "live.moved": "⏰ **Schemawijziging:** {session} begint nu om {time} (was {was}).",
        "live.cancelled": "❌ **Afgelast:** {session} ({was}).",
        "button.show_all": "Toon alle landen",
        "calendar.medal": "Medaillebeslissing",
        "calendar.ready.none": "📅 Er komen geen wedstrijden{filter} van {games} meer; het agendabestand is leeg.",
        "calendar.ready.one": "📅 De 1 wedstrijd{filter} van {games} die nog komt, als agendabestand om in je agenda-app te importeren.",
        "calendar.ready.many": "📅 De {count} wedstrijden{filter} van {games} die nog komen, als agendabestand om in je agenda-app te importeren.",
        "language.en": "Engels",
        "language.nl": "Nederlands",
        "subscription.line": "{channel}: elke avond om {time} ({timezone}), in het {alert_language}",
        "subscription.sport": "alleen {sport}",
        "subscription.no_spoilers": "geen spoilers",
        "subscription.full_programme": "volledig programma",
        "subscription.focus": "focus: {nation}",
        "subscription.paused": "⏸ gepauzeerd: {reason} (los het op en gebruik /subscribe opnieuw)",
        "subscribe.created": "✅ {channel} staat nu op het avondbericht.",
        "subscribe.updated": "✅ Het avondbericht voor {channel} is bijgewerkt.",
        "subscribe.first_alert": "Eerste bericht: {when} ({relative}).",
        "unsubscribe.done": "{channel} staat niet meer op het avondbericht.",
        "unsubscribe.not_subscribed": "{channel} stond niet op het avondbericht.",
        "subscriptions.none": "Geen enkel kanaal van deze server staat op het avondbericht; /subscribe zet er een op.",
        "subscriptions.title": "**Avondbericht — {count} kanaal/kanalen**",
        "error.bad_date": "'{value}' is geen datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2022-02-15.",
        "error.date_out_of_range": "'{value}' valt buiten de dagen die ik kan tonen; kies een datum van {first} tot en met {last}.",
        "error.bad_time": "'{value}' is geen tijdstip; gebruik UU:MM in 24-uursnotatie, bijvoorbeeld 20:00.",
        "error.bad_timezone": "'{value}' is geen tijdzone; gebruik een IANA-naam zoals {suggestions}.",
        "error.bad_language": "'{value}' is geen taal die ik spreek; kies uit: {choices}.",
        "error.unknown_nation": "Het land '{value}' ken ik niet. Bedoel je {suggestions}?",
        "error.unknown_nation_plain": "Het land '{value}' ken ik niet; gebruik een IOC- of ISO-code (NED, NL) of een naam (Nederland).",
        "error.unknown_sport": "De sport '{value}' ken ik niet. Bedoel je {suggestions}?",
        "error.unknown_sport_plain": "De sport '{value}' ken ik niet; kies er een uit de lijst, bijvoorbeeld Schaatsen.",
        "error.no_games": "Er zijn nog geen Spelen geladen; de beheerder van de bot kan ze importeren met `python -m bot import BESTAND`.",
        "error.unknown_games": "Ik ken de Spelen '{value}' niet; geladen zijn: {choices}.",
        "error.ambiguous_games": "'{value}' past bij meer dan één Spelen: {choices}. Noem er één.",
        "error.other_server": "Dat kanaal hoort niet bij deze server; kies een kanaal van deze server.",
        "error.not_text_channel": "{channel} is geen tekstkanaal; kies een tekstkanaal.",
        "error.not_manager": "Je hebt de permissie Kanalen beheren in {channel} nodig om dat te doen.",
        "error.no_permission": "Je hebt de permissie Kanalen beheren nodig om dat te doen.",
        "error.bot_cannot_post": "Ik kan niet posten in {channel}: ik mis daar {missing}. Geef me die permissies en probeer het opnieuw.",
        "error.bad_channel": "Dat kanaal kan ik niet gebruiken; kies een tekstkanaal van deze server.",
        "error.guild_only": "Deze opdracht werkt in een server, niet in privéberichten.",
        "error.unexpected": "Sorry, er ging bij mij iets mis. Probeer het zo nog eens.",
    },
}


def t(key: str, language: str, **params) -> str:
    """The sentence `key` in `language` (English when missing), with `params` filled in."""
    texts = CATALOGUE.get(language, CATALOGUE["en"])
    template = texts.get(key) or CATALOGUE["en"][key]
    return template.format(**params)


def locale_language(locale: str | None) -> str | None:
    """The language Podium speaks for a Discord locale ('nl', 'en-US', 'en-GB'), or None."""
    tag = str(locale or "")
    return next((language for language in LANGUAGES if tag == language or tag.startswith(language + "-")), None)


def server_language(guild_locale: str | None, default: str) -> str:
    """The language of a server that chose none for Podium: the server's locale when Podium speaks
    it, else `default` (the bot's). An English locale keeps the default: Discord gives every server
    en-US until someone changes it, so it says nothing about the server."""
    language = locale_language(guild_locale)
    return language if language is not None and language != "en" else default


def format_date(day: date, language: str) -> str:
    """'Tuesday 15 February' / 'dinsdag 15 februari'."""
    return babel_format_date(day, "EEEE d MMMM", locale=language)


def format_short_date(day: date, language: str) -> str:
    """'15 February' / '15 februari'."""
    return babel_format_date(day, "d MMMM", locale=language)


def format_time(instant: datetime, language: str) -> str:
    """24-hour 'HH:mm' in the instant's own zone, for both languages."""
    return instant.strftime("%H:%M")
