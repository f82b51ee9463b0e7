"""Every slash command and option, in English and Dutch, through the real client and the fake Discord.

The clock stands at Tuesday 15 February 2022, 20:00 in Amsterdam: results after that are not in yet."""
from __future__ import annotations

import re

import pytest

from bot.store import subscriptions as store
from bot.store.database import Database
from tests.fake_discord.harness import bot_settings
from tests.support.commands import EPHEMERAL, ask, assert_error, bot
from tests.support.world import CHANNEL, DUTCH_CHANNEL, DUTCH_GUILD, GUILD, MANAGER, MEMBER, OTHER_CHANNEL, OTHER_GUILD, QUIET


# -- /medals -----------------------------------------------------------------------------------

async def test_medal_table_top_ten_as_of_now_with_a_button_for_all(tmp_path, fake):
    async with bot(tmp_path, fake):
        table = await ask(fake, "medals")
        assert not table["flags"] & EPHEMERAL
        text = table["text"]
        assert text.startswith("🏟️ **Beijing 2022**\n**Medal table**\n```")
        assert "  1  NOR Norway" in text
        assert "NOR Norway          12  7  7  26" in text  # by 15 February 20:00 CET, not the final 16/8/13
        assert "Showing 10 of 27 nations" in text  # two nations had no medal yet
        assert len(re.findall(r"^ *=?\d+  [A-Z]{3} ", text, re.M)) == 10
        button = table["components"][0]["components"][0]
        assert button["custom_id"] == "podium:table:beijing-2022:now" and button["label"] == "Show all nations"
        full = await fake.interact(GUILD, CHANNEL, MEMBER, type=3, custom_id=button["custom_id"])
        result = await full.response()
        assert result["flags"] & EPHEMERAL
        assert full.text().count("\n") > 25 and "Showing" not in full.text()
        old = await fake.interact(GUILD, CHANNEL, MEMBER, type=3, custom_id="podium:table:now")  # a button of the previous release
        assert (await old.response())["flags"] & EPHEMERAL and old.text().startswith("🏟️ **Beijing 2022**\n")


async def test_a_nations_medals_rank_and_medallists(tmp_path, fake):
    async with bot(tmp_path, fake):
        ned = await ask(fake, "medals", {"country": "NED"})
        assert ned["text"].startswith("🏟️ **Beijing 2022**\n**🇳🇱 Netherlands** — rank ")
        assert "🥇 Speed Skating – Women's 3000 m: Irene Schouten" in ned["text"]
        assert "Kjeld Nuis" in ned["text"]
        assert "Mass Start" not in ned["text"]  # 19 February: not yet
        for typed in ("Nederland", "the netherlands", "NL", "nld", "NÉDERLAND"):
            same = await ask(fake, "medals", {"country": typed})
            assert same["text"] == ned["text"], typed


async def test_medals_as_of_a_date_and_a_nation_without_medals(tmp_path, fake):
    async with bot(tmp_path, fake):
        early = await ask(fake, "medals", {"country": "Nederland", "date": "2022-02-06"})
        assert early["text"].startswith("🏟️ **Beijing 2022**\nAs of 6 February\n**🇳🇱 Netherlands** — rank")
        assert "Irene Schouten" in early["text"] and "Kjeld Nuis" not in early["text"]
        belgium = await ask(fake, "medals", {"country": "BEL", "date": "2022-02-10"})
        assert "**🇧🇪 Belgium** had not won a medal by the end of 10 February." in belgium["text"]
        assert not belgium["flags"] & EPHEMERAL  # an answer, not an error
        final = await ask(fake, "medals", {"date": "2022-02-20"})
        assert "**Medal table — as of 20 February**" in final["text"] and "NOR Norway          16  8 13  37" in final["text"]


async def test_medals_bad_inputs_get_a_clear_private_answer(tmp_path, fake):
    async with bot(tmp_path, fake):
        assert_error(await ask(fake, "medals", {"country": "Nederlnd"}), "I don't know the nation 'Nederlnd'", "NED (Netherlands)")
        assert_error(await ask(fake, "medals", {"country": "zzzzzz"}), "zzzzzz")
        assert_error(await ask(fake, "medals", {"date": "15-02-2022"}), "'15-02-2022'", "YYYY-MM-DD")
        assert_error(await ask(fake, "medals", {"date": "2022-02-30"}), "'2022-02-30'")
        assert_error(await ask(fake, "medals", {"country": "@everyone"}), "@\u200beveryone")


async def test_medals_in_dutch(tmp_path, fake):
    async with bot(tmp_path, fake):
        table = await ask(fake, "medals", guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        assert table["text"].startswith("🏟️ **Peking 2022**\n**Medaillespiegel**")
        assert table["components"][0]["components"][0]["label"] == "Toon alle landen"
        ned = await ask(fake, "medals", {"country": "Nederland"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        assert "**🇳🇱 Nederland** — plaats " in ned["text"] and "Schaatsen – 3000 meter vrouwen: Irene Schouten" in ned["text"]
        wrong = await ask(fake, "medals", {"country": "Nederlnd"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        assert_error(wrong, "Het land 'Nederlnd' ken ik niet", "NED (Nederland)")


async def test_country_autocomplete_in_both_languages(tmp_path, fake):
    async with bot(tmp_path, fake):
        english = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "neth"}, type=4)
        choices = (await english.response())["choices"]
        assert choices[0] == {"name": "Netherlands (NED)", "value": "NED"}
        dutch = await fake.interact(DUTCH_GUILD, DUTCH_CHANNEL, MEMBER, "medals", {"country": "duits"}, type=4, locale="nl")
        assert (await dutch.response())["choices"][0] == {"name": "Duitsland (GER)", "value": "GER"}
        everything = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": ""}, type=4)
        assert len((await everything.response())["choices"]) == 25


# -- /programme and /results -------------------------------------------------------------------

async def test_programme_defaults_to_tomorrow_in_the_servers_zone(tmp_path, fake):
    async with bot(tmp_path, fake):
        result = await ask(fake, "programme")
        assert result["text"].startswith("🏟️ **Beijing 2022**\n**Tomorrow's programme — Wednesday 16 February**\nTimes in Europe/Amsterdam")
        assert not result["flags"] & EPHEMERAL
        assert all(len(m["content"]) <= 2000 for m in result["handle"].messages)


async def test_programme_for_a_date_and_a_sport_by_either_name(tmp_path, fake):
    async with bot(tmp_path, fake):
        skating = await ask(fake, "programme", {"date": "2022-02-15", "sport": "Speed Skating"})
        assert skating["text"].startswith("🏟️ **Beijing 2022**\n**Programme for Tuesday 15 February**")
        assert "**Speed Skating**" in skating["text"] and "Curling" not in skating["text"]
        assert "`08:24` Women's Team Pursuit – Finals 🏅 · National Speed Skating Oval" in skating["text"]
        dutch = await ask(fake, "programme", {"date": "2022-02-15", "sport": "schaatsen"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        assert dutch["text"].startswith("🏟️ **Peking 2022**\n**Programma voor dinsdag 15 februari**")
        assert "`08:24` Ploegenachtervolging vrouwen – Finale 🏅" in dutch["text"]
        quiet = await ask(fake, "programme", {"date": "2022-03-01"})
        assert quiet["text"] == "🏟️ **Paris 2024**\nNo competitions on Tuesday 1 March."  # between Games: the next one


async def test_programme_bad_inputs(tmp_path, fake):
    async with bot(tmp_path, fake):
        assert_error(await ask(fake, "programme", {"sport": "schatsen"}), "'schatsen'", "Speed Skating")
        assert_error(await ask(fake, "programme", {"date": "tomorrow"}), "'tomorrow'", "YYYY-MM-DD")


async def test_sport_autocomplete(tmp_path, fake):
    async with bot(tmp_path, fake):
        handle = await fake.interact(DUTCH_GUILD, DUTCH_CHANNEL, MEMBER, "programme", {"sport": "scha"}, type=4, locale="nl")
        choices = (await handle.response())["choices"]
        assert {"name": "Schaatsen", "value": "SSK"} in choices and {"name": "Schansspringen", "value": "SJP"} in choices


async def test_results_of_today_and_of_a_day_not_yet_decided(tmp_path, fake):
    async with bot(tmp_path, fake):
        today = await ask(fake, "results")
        assert today["text"].startswith("🏟️ **Beijing 2022**\n**Results — Tuesday 15 February**")
        assert "**Speed Skating – Women's Team Pursuit**" in today["text"] and "🥉 🇳🇱 Netherlands (NED)" in today["text"]
        later = await ask(fake, "results", {"date": "2022-02-17"})
        assert later["text"] == "🏟️ **Beijing 2022**\nNo medals were decided on Thursday 17 February."
        skating = await ask(fake, "results", {"date": "2022-02-08", "sport": "SSK"})
        assert "Kjeld Nuis" in skating["text"] and "Alpine" not in skating["text"]
        dutch = await ask(fake, "results", {"date": "2022-02-08", "sport": "Schaatsen"}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, locale="nl")
        assert dutch["text"].startswith("🏟️ **Peking 2022**\n**Uitslagen — dinsdag 8 februari**") and "1500 meter mannen" in dutch["text"]
        assert_error(await ask(fake, "results", {"date": "yesterday"}), "'yesterday'")


# -- /subscribe, /unsubscribe, /subscriptions --------------------------------------------------

async def saved(tmp_path, fake, channel):
    async with await Database.open(bot_settings(tmp_path, fake).database) as db:
        return await store.get_subscription(db, channel)


async def test_subscribe_with_every_option_then_update_never_duplicates(tmp_path, fake):
    async with bot(tmp_path, fake):
        # a Dutch-speaking manager (the confirmation is theirs alone: in their language) in the English server
        first = await ask(fake, "subscribe", {"channel": CHANNEL, "time": "19:30", "timezone": "asia/shanghai", "language": "nl",
                                              "sport": "Schaatsen", "country": "Nederland"}, user=MANAGER, locale="nl")
        assert first["flags"] & EPHEMERAL
        assert f"✅ <#{CHANNEL}> staat nu op het avondbericht." in first["text"]
        assert "elke avond om 19:30 (Asia/Shanghai), in het Nederlands · alleen Schaatsen · focus: Nederland" in first["text"]
        stamp = int(re.search(r"<t:(\d+):F>", first["text"])[1])
        assert stamp == 1645011000  # 16 February 2022 19:30 in Shanghai: it is already 03:00 on the 16th there
        again = await ask(fake, "subscribe", {"time": "21:00"}, user=MANAGER, locale="nl")
        assert "Het avondbericht voor" in again["text"] and "bijgewerkt" in again["text"]
    sub = await saved(tmp_path, fake, CHANNEL)
    assert (sub.alert_time.isoformat(), sub.timezone, sub.language, sub.sport_id, sub.nation_code) == ("21:00:00", "Asia/Shanghai", "nl", "SSK", "NED")
    async with await Database.open(bot_settings(tmp_path, fake).database) as db:
        assert len(await store.all_subscriptions(db)) == 1


async def test_subscribe_defaults_follow_the_server(tmp_path, fake):
    async with bot(tmp_path, fake):
        dutch = await ask(fake, "subscribe", {}, guild=DUTCH_GUILD, channel=DUTCH_CHANNEL, user=MANAGER, locale="nl")
        assert "staat nu op het avondbericht" in dutch["text"]
        english = await ask(fake, "subscribe", {}, user=MANAGER)
        assert "is now on the evening alert" in english["text"] and "every evening at 20:00 (Europe/Amsterdam), in English" in english["text"]
    assert (await saved(tmp_path, fake, DUTCH_CHANNEL)).language == "nl"


async def test_members_who_cannot_manage_the_channel_are_refused(tmp_path, fake):
    async with bot(tmp_path, fake):
        assert_error(await ask(fake, "subscribe", {"time": "19:00"}, user=MEMBER), "Manage Channels")
        await ask(fake, "subscribe", {}, user=MANAGER)
        assert_error(await ask(fake, "unsubscribe", {}, user=MEMBER), "Manage Channels")
    assert await saved(tmp_path, fake, CHANNEL) is not None
    command = fake.find_command("subscribe", None)
    assert command["default_member_permissions"] == str(1 << 4) or command["default_member_permissions"] == 1 << 4  # Manage Channels
    assert command.get("dm_permission") is False or command.get("contexts") == [0]


async def test_channels_of_another_server_and_channels_the_bot_cannot_use(tmp_path, fake):
    async with bot(tmp_path, fake):
        assert_error(await ask(fake, "subscribe", {"channel": OTHER_CHANNEL}, user=MANAGER))
        assert_error(await ask(fake, "unsubscribe", {"channel": OTHER_CHANNEL}, user=MANAGER))
        quiet = await ask(fake, "subscribe", {"channel": QUIET}, user=MANAGER)
        assert_error(quiet, "I can't post in", "Send Messages")
    assert await saved(tmp_path, fake, OTHER_CHANNEL) is None and await saved(tmp_path, fake, QUIET) is None


async def test_subscribe_bad_inputs_save_nothing(tmp_path, fake):
    async with bot(tmp_path, fake):
        assert_error(await ask(fake, "subscribe", {"time": "25:99"}, user=MANAGER), "'25:99'", "HH:MM")
        assert_error(await ask(fake, "subscribe", {"timezone": "Mars/Olympus"}, user=MANAGER), "'Mars/Olympus'", "IANA")
        assert_error(await ask(fake, "subscribe", {"timezone": "Europe/Amsterdm"}, user=MANAGER), "Europe/Amsterdam")
        assert_error(await ask(fake, "subscribe", {"country": "Holland?"}, user=MANAGER), "'Holland?'")
        assert_error(await ask(fake, "subscribe", {"sport": "quidditch"}, user=MANAGER), "'quidditch'")
        assert_error(await ask(fake, "subscribe", {"language": "fr"}, user=MANAGER), "'fr' is not a language I speak", "en, nl")
    assert await saved(tmp_path, fake, CHANNEL) is None


async def test_timezone_autocomplete(tmp_path, fake):
    async with bot(tmp_path, fake):
        handle = await fake.interact(GUILD, CHANNEL, MANAGER, "subscribe", {"timezone": "amster"}, type=4)
        assert (await handle.response())["choices"][0] == {"name": "Europe/Amsterdam", "value": "Europe/Amsterdam"}
        york = await fake.interact(GUILD, CHANNEL, MANAGER, "subscribe", {"timezone": "new york"}, type=4)
        assert {"name": "America/New York", "value": "America/New_York"} in (await york.response())["choices"]


async def test_unsubscribe_and_the_servers_list(tmp_path, fake):
    async with bot(tmp_path, fake):
        assert "No channel of this server" in (await ask(fake, "subscriptions"))["text"]
        await ask(fake, "subscribe", {"country": "NED"}, user=MANAGER)
        listing = await ask(fake, "subscriptions")
        assert listing["flags"] & EPHEMERAL
        assert f"<#{CHANNEL}>: every evening at 20:00 (Europe/Amsterdam), in English · focus: Netherlands" in listing["text"]
        done = await ask(fake, "unsubscribe", {"channel": CHANNEL}, user=MANAGER)
        assert f"<#{CHANNEL}> is off the evening alert." in done["text"]
        again = await ask(fake, "unsubscribe", {}, user=MANAGER)
        assert f"<#{CHANNEL}> was not on the evening alert." in again["text"]
    assert await saved(tmp_path, fake, CHANNEL) is None


async def test_focus_nation_of_the_server_joins_the_table(tmp_path, fake):
    async with bot(tmp_path, fake):
        await ask(fake, "subscribe", {"country": "POL"}, user=MANAGER)
        table = await ask(fake, "medals")
        assert "  …\n" in table["text"] and "POL Poland" in table["text"]


# -- safety ------------------------------------------------------------------------------------

async def test_no_answer_can_ping_anyone(tmp_path, fake):
    async with bot(tmp_path, fake):
        await ask(fake, "medals")
        await ask(fake, "medals", {"country": "NED"})
        await ask(fake, "programme")
        await ask(fake, "subscribe", {}, user=MANAGER)
        await ask(fake, "subscriptions")
    bodies = [r.body for r in fake.requests if r.method in ("POST", "PATCH") and isinstance(r.body, dict)
              and ("/callback" in r.path or "/webhooks/" in r.path)]
    assert bodies
    for body in bodies:
        data = body.get("data", body)
        if "content" in data:
            assert data.get("allowed_mentions") == {"parse": []}, body


async def test_an_unexpected_failure_gets_an_apology_and_a_log_line(tmp_path, fake, caplog):
    async with bot(tmp_path, fake) as run:
        async with run.bot.services.db.transaction() as conn:  # the table vanishes under the running bot
            await conn.execute("DROP TABLE subscriptions")
        result = await ask(fake, "subscriptions")
    assert_error(result, "Sorry, something went wrong on my side")
    assert any(record.levelname == "ERROR" and "subscriptions" in record.getMessage() for record in caplog.records)


async def test_commands_carry_dutch_names_and_descriptions(tmp_path, fake):
    async with bot(tmp_path, fake):
        pass
    medals = fake.find_command("medals", None)
    assert medals["name_localizations"]["nl"] == "medailles"
    assert medals["description_localizations"]["nl"].startswith("De medaillespiegel")
    subscribe = fake.find_command("subscribe", None)
    assert {o["name"]: o["name_localizations"]["nl"] for o in subscribe["options"]} == {
        "channel": "kanaal", "time": "tijd", "timezone": "tijdzone", "language": "taal", "sport": "sport", "country": "land",
        "spoilers": "spoilers", "full_programme": "volledig_programma"}


async def test_every_command_and_option_has_dutch_text(tmp_path, fake):
    async with bot(tmp_path, fake):
        pass
    commands = fake.global_commands()
    assert len(commands) == 8
    for command in commands:
        assert command["name_localizations"].get("nl") and command["description_localizations"].get("nl"), command["name"]
        for option in command.get("options") or []:
            where = f"/{command['name']} {option['name']}"
            assert option["name_localizations"].get("nl") and option["description_localizations"].get("nl"), where


async def test_a_day_off_the_calendar_gets_the_valid_range_not_an_apology(tmp_path, fake):
    async with bot(tmp_path, fake):
        for command, options in (("medals", {"date": "9999-12-31"}), ("programme", {"date": "0001-01-01"}),
                                 ("results", {"date": "9999-12-31"}), ("medals", {"country": "NED", "date": "0001-01-01"})):
            result = await ask(fake, command, options)
            assert_error(result, "use a date from 1900-01-01 to 2199-12-31")
            assert "went wrong" not in result["text"]


async def test_invisible_characters_in_options_are_ignored_and_every_zone_is_accepted(tmp_path, fake):
    async with bot(tmp_path, fake):
        ned = await ask(fake, "medals", {"country": "\u200bNED"})
        assert not ned["flags"] & EPHEMERAL and "Netherlands" in ned["text"], ned["text"]
        day = await ask(fake, "programme", {"date": "2022-02-15\u200b", "sport": "\u2060speed skating"})
        assert "Speed Skating" in day["text"], day["text"]
        await ask(fake, "subscribe", {"timezone": "CET", "country": "\u200bNED"}, user=MANAGER)
        saved_sub = await saved(tmp_path, fake, CHANNEL)
        assert saved_sub.timezone == "CET" and saved_sub.nation_code == "NED"
        await ask(fake, "subscribe", {"timezone": "EST5EDT"}, user=MANAGER)
        assert (await saved(tmp_path, fake, CHANNEL)).timezone == "EST5EDT"
