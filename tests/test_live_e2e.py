"""Live Games end to end: the real bot follows a real local HTTP feed (the replay server) or a
feed file, on the simulated clock, against the fake Discord."""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import datetime, timedelta, timezone

from aiohttp import web

from bot.clock import Clock
from bot.data.dataset import SHIPPED_DATASET, load_dataset_file
from bot.data.document import as_known_at, to_document
from bot.feed.replay_server import ReplayFeed
from tests.fake_discord.harness import running_bot
from tests.support.alerts import alerts, delivery_log, settle, sub, subscribe
from tests.support.database import dump
from tests.support.waiting import until
from tests.support.world import CHANNEL, CHANNELS, GUILD, MEMBER

SPOILER_FREE = CHANNELS[1]
GAMES = load_dataset_file(SHIPPED_DATASET)


def medal_posts(fake, channel):
    return [m["content"] for m in fake.messages(channel) if "wins" in m["content"] or "Correction" in m["content"]]


async def test_replay_of_15_february_one_medal_alert_for_the_team_pursuit_bronze(tmp_path, fake):
    await subscribe(tmp_path, fake, sub(CHANNEL, nation_code="NED"), sub(SPOILER_FREE, nation_code="NED", spoilers=False))
    clock = Clock(datetime.fromisoformat("2022-02-15T09:30:00+01:00"), speed=300, running=False)  # runs once the bot is ready
    feed = ReplayFeed(GAMES, clock)
    url = await feed.start()
    try:
        async with running_bot(tmp_path, fake, clock=clock, PODIUM_FEED_URL=url, PODIUM_FEED_INTERVAL=0.1) as run:
            # The women's finals end at 09:34, the men's (where the Dutch lost the race for bronze) at 09:53.
            await until(lambda: clock.now() >= datetime(2022, 2, 15, 9, 0, tzinfo=timezone.utc), 15, "09:00 UTC")
            polled = sum(run.bot.feed.polls.values())
            await until(lambda: sum(run.bot.feed.polls.values()) >= polled + 2, 10, "two more polls")
            assert run.bot.feed.polls["applied"] >= 2 and feed.not_modified >= 1  # unchanged polls cost a 304
            table = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
            await table.response()
            assert "Women's Team Pursuit" in table.text()
    finally:
        await feed.stop()
    posts = medal_posts(fake, CHANNEL)
    assert posts == ["🥉 **🇳🇱 Netherlands wins bronze!** Speed Skating – Women's Team Pursuit: Netherlands"]
    assert fake.messages(SPOILER_FREE) == []  # spoilers off: no medal posts


def partial(results: list[dict] | None = None, sessions: list[dict] | None = None) -> str:
    document = {"format": "podium-games/1", "partial": True,
                "games": {"id": "beijing-2022", "name": {"en": "Beijing 2022", "nl": "Peking 2022"}, "host_timezone": "Asia/Shanghai"}}
    if results is not None:
        document["results"] = results
    if sessions is not None:
        document["sessions"] = sessions
    return json.dumps(document, ensure_ascii=False)


TEAM_2022 = [{"event": "FSK-X-TEAM", "medal": "gold", "competitor": "ROC", "nation": "ROC"},
             {"event": "FSK-X-TEAM", "medal": "silver", "competitor": "United States", "nation": "USA"},
             {"event": "FSK-X-TEAM", "medal": "bronze", "competitor": "Japan", "nation": "JPN"}]
TEAM_2024 = [{"event": "FSK-X-TEAM", "medal": "gold", "competitor": "United States", "nation": "USA"},
             {"event": "FSK-X-TEAM", "medal": "silver", "competitor": "Japan", "nation": "JPN"},
             {"event": "FSK-X-TEAM", "medal": "bronze", "competitor": "ROC", "nation": "ROC"}]


async def test_the_first_sync_never_floods(tmp_path, fake):
    # The bot's data stop on 5 February; the feed has the whole Games (the team event as first
    # published): dozens of US medals are new to the bot, but the first sync only catches up.
    await subscribe(tmp_path, fake, sub(CHANNEL, nation_code="USA"))
    whole_games = to_document(GAMES)
    whole_games["results"] = [r for r in whole_games["results"] if r["event"] != "FSK-X-TEAM"] + TEAM_2022
    feed_file = tmp_path / "feed.json"
    feed_file.write_text(json.dumps(whole_games, ensure_ascii=False), encoding="utf-8")
    known_on_the_5th = to_document(as_known_at(GAMES, datetime(2022, 2, 5, tzinfo=timezone.utc)))
    async with running_bot(tmp_path, fake, dataset=known_on_the_5th, PODIUM_CLOCK="2024-01-30T12:00:00+01:00",
                           PODIUM_FEED_URL=str(feed_file), PODIUM_FEED_INTERVAL=0.1) as run:
        await until(lambda: run.bot.feed.polls["applied"] >= 1, 10, "the first sync")
        feed_file.write_text(partial(TEAM_2024), encoding="utf-8")  # then one change that is news: posted
        await until(lambda: run.bot.feed.polls["applied"] >= 2, 10, "the update")
    assert [m["content"] for m in fake.messages(CHANNEL)] == [
        "🥇 **Correction: 🇺🇸 United States now has gold** in Figure Skating – Team Event (was silver): United States."]


async def test_a_reallocation_moves_the_medal_and_posts_one_correction(tmp_path, fake):
    await subscribe(tmp_path, fake, sub(CHANNEL, nation_code="USA"))
    feed_file = tmp_path / "feed.json"
    feed_file.write_text(partial(TEAM_2022), encoding="utf-8")  # the result as first published
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2024-01-30T12:00:00+01:00", PODIUM_FEED_URL=str(feed_file),
                           PODIUM_FEED_INTERVAL=0.1) as run:
        await until(lambda: run.bot.feed.polls["applied"] >= 1, 10, "the first sync")
        before = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "USA"})
        await before.response()
        assert "rank 4 · 🥇 8 🥈 10 🥉 7" in before.text()
        feed_file.write_text(partial(TEAM_2024), encoding="utf-8")  # January 2024: the re-ranking
        await until(lambda: run.bot.feed.polls["applied"] >= 2, 10, "the update")
        await settle(run)
        after = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "USA"})
        await after.response()
        assert "rank 3 · 🥇 9 🥈 9 🥉 7" in after.text()
        polled = run.bot.feed.polls["unchanged"]
        await until(lambda: run.bot.feed.polls["unchanged"] >= polled + 2, 10, "more polls of the same file")  # nothing more
    assert medal_posts(fake, CHANNEL) == [
        "🥇 **Correction: 🇺🇸 United States now has gold** in Figure Skating – Team Event (was silver): United States."]


@contextlib.asynccontextmanager
async def posted_at_half_past_eleven(tmp_path, fake):
    """A channel whose evening post (23:30 in Amsterdam on 14 February) is out, with the bot
    following a feed file that has brought no change yet."""
    await subscribe(tmp_path, fake, sub(CHANNEL, at="23:30"))
    feed_file = tmp_path / "feed.json"
    feed_file.write_text(partial(sessions=[]), encoding="utf-8")
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2022-02-14T23:29:55+01:00", PODIUM_CLOCK_SPEED=5,
                           PODIUM_FEED_URL=str(feed_file), PODIUM_FEED_INTERVAL=0.1, PODIUM_SEND_RATE=0) as run:
        await fake.wait_for_messages(CHANNEL)
        await settle(run)
        yield run, feed_file


async def test_a_moved_session_edits_tonights_post_and_a_soon_one_gets_a_notice(tmp_path, fake):
    async with posted_at_half_past_eleven(tmp_path, fake) as (run, feed_file):
        posted = fake.messages(CHANNEL)
        assert "`08:24` Women's Team Pursuit – Finals" in "\n".join(m["content"] for m in posted)
        finals = next(s for s in to_document(GAMES)["sessions"] if s["id"] == "2411176")
        curling = next(s for s in to_document(GAMES)["sessions"] if s["id"] == "746282")  # 02:05 CET
        moved_finals = dict(finals, start="2022-02-15T16:00:00+08:00", end="2022-02-15T17:10:00+08:00")
        moved_curling = dict(curling, start="2022-02-15T09:35:00+08:00")
        applied = run.bot.feed.polls["applied"]
        feed_file.write_text(partial(sessions=[moved_finals, moved_curling]), encoding="utf-8")
        await until(lambda: run.bot.feed.polls["applied"] > applied, 10, "the update")  # its posts and edits done
        assert run.bot.live.edited >= 1
    edited = fake.messages(CHANNEL)[: len(posted)]
    assert [m["id"] for m in edited] == [m["id"] for m in posted]  # the same messages, edited in place
    text = "\n".join(m["content"] for m in edited)
    assert "`09:00` Women's Team Pursuit – Finals" in text and "`08:24` Women's Team Pursuit – Finals" not in text
    notices = [m["content"] for m in fake.messages(CHANNEL) if m["content"].startswith("⏰")]
    # The curling game now starts at 02:35, within three hours of 23:30: a notice; the finals do not.
    assert notices == [f"⏰ **Schedule change:** Curling – Men's Tournament – {curling['unit']['en']} now starts at 02:35 (was 02:05)."]
    assert len(alerts(fake, CHANNEL)) == 1


class FlakyFeed:
    """A local HTTP feed that misbehaves on request: 500, a timeout, malformed JSON, then 304s."""

    def __init__(self, body: bytes):
        self.body, self.mode, self.served = body, "ok", []

    async def handle(self, request):
        self.served.append(self.mode)
        if self.mode == "500":
            return web.Response(status=500, text="oops")
        if self.mode == "slow":
            await asyncio.sleep(2)
        if self.mode == "malformed":
            return web.Response(body=b'{"format": "podium-games/1", "games": ', content_type="application/json")
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(body=self.body, content_type="application/json", headers={"ETag": '"v1"'})


async def test_304_timeout_500_and_malformed_change_nothing_and_log_once_each(tmp_path, fake, caplog):
    flaky = FlakyFeed(json.dumps(to_document(GAMES), ensure_ascii=False).encode())
    app = web.Application()
    app.router.add_get("/feed.json", flaky.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/feed.json"
    caplog.set_level(logging.WARNING, logger="podium.feed")
    try:
        async with running_bot(tmp_path, fake, PODIUM_CLOCK="2022-02-15T20:00:00+01:00", PODIUM_FEED_URL=url,
                               PODIUM_FEED_INTERVAL=0.1, PODIUM_FEED_TIMEOUT=0.5) as run:
            polls = run.bot.feed.polls
            await until(lambda: polls["applied"] >= 1 and polls["unchanged"] >= 2, 10, "a 304")
            before = dump(run.settings.database)
            for mode, outcome in (("500", "unavailable"), ("slow", "unavailable"), ("malformed", "invalid")):
                flaky.mode, seen = mode, polls[outcome]
                await until(lambda: polls[outcome] >= seen + 3, 15, mode)  # retried, and logged once
            flaky.mode, seen = "ok", polls["applied"]
            await until(lambda: polls["applied"] > seen, 10, "recovery")
            assert dump(run.settings.database) == before  # nothing changed, nothing lost
            answer = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "NED"})
            await answer.response()
            assert "Netherlands" in answer.text()
    finally:
        await runner.cleanup()
    warnings = [r.getMessage() for r in caplog.records if r.name == "podium.feed"]
    assert len([w for w in warnings if "HTTP 500" in w]) == 1
    assert len([w for w in warnings if "no answer" in w]) == 1
    assert len([w for w in warnings if "not valid JSON" in w]) == 1
    assert len(warnings) == 3, warnings
    assert polls["failed"] == 0


async def test_the_evening_alert_of_the_15th_lists_the_days_dutch_placings(tmp_path, fake):
    await subscribe(tmp_path, fake, sub(CHANNEL, nation_code="NED"))
    clock = Clock(datetime.fromisoformat("2022-02-15T19:59:55+01:00"), speed=2, running=False)
    feed = ReplayFeed(GAMES, clock)
    url = await feed.start()
    try:
        async with running_bot(tmp_path, fake, clock=clock, PODIUM_FEED_URL=url, PODIUM_FEED_INTERVAL=0.2, PODIUM_SEND_RATE=0) as run:
            await fake.wait_for_messages(CHANNEL)
            await settle(run)
    finally:
        await feed.stop()
    text = "\n".join(m["content"] for m in fake.messages(CHANNEL))
    assert text.startswith("**Today for 🇳🇱 Netherlands**\n")
    assert "**Speed Skating – Women's Team Pursuit – Finals** (places within each race)\n🥉 1. Netherlands · 2:56.86 (Final B)" in text
    assert "**Speed Skating – Men's Team Pursuit – Finals** (places within each race)\n2. Netherlands · 3:41.62 (Final B)" in text  # the race for bronze lost: no medal
    assert "6. Melissa Peperkamp" in text
    assert text.index("Today for") < text.index("**Tomorrow's programme — Wednesday 16 February**")
    assert medal_posts(fake, CHANNEL) == []  # the first sync at 20:00 brings nothing new to post


async def test_cancelled_sessions_shrink_the_post_and_a_part_no_longer_needed_is_deleted(tmp_path, fake):
    async with posted_at_half_past_eleven(tmp_path, fake) as (run, feed_file):
        posted = fake.messages(CHANNEL)
        assert len(posted) >= 2  # the programme of 15 February is long enough for two messages
        amsterdam = datetime(2022, 2, 15, tzinfo=timezone.utc) - timedelta(hours=1)
        keep = {"2411176"}  # all but the women's team pursuit finals are called off
        cancelled = [{"id": s.id, "cancelled": True} for s in GAMES.sessions
                     if amsterdam <= s.start < amsterdam + timedelta(days=1) and s.id not in keep]
        applied = run.bot.feed.polls["applied"]
        feed_file.write_text(partial(sessions=cancelled), encoding="utf-8")
        await until(lambda: run.bot.feed.polls["applied"] > applied, 10, "the update")  # its posts and edits done
        assert run.bot.live.edited >= 1
    programme = [m for m in fake.messages(CHANNEL) if not m["content"].startswith("❌")]
    assert [m["id"] for m in programme] == [posted[0]["id"]]  # edited in place; the second part deleted
    assert [row[3] for row in await delivery_log(tmp_path, fake, CHANNEL)] == [posted[0]["id"]]  # the log follows
    assert "`08:24` Women's Team Pursuit – Finals" in programme[0]["content"]
    assert "Curling" not in programme[0]["content"]
    notices = [m["content"] for m in fake.messages(CHANNEL) if m["content"].startswith("❌")]
    soon = [s for s in cancelled if next(x for x in GAMES.sessions if x.id == s["id"]).start
            <= datetime(2022, 2, 14, 22, 30, tzinfo=timezone.utc) + timedelta(hours=3)]
    assert len(notices) == len(soon) > 0  # one notice for each called-off session of the next three hours
    assert all(n.startswith("❌ **Cancelled:** ") for n in notices)


USA_GOLD = "🥇 **Correction: 🇺🇸 United States now has gold** in Figure Skating – Team Event (was silver): United States."
USA_SILVER = "🥈 **Correction: 🇺🇸 United States now has silver** in Figure Skating – Team Event (was gold): United States."


async def test_a_medal_that_flips_back_and_forth_is_posted_each_time_and_the_channel_ends_on_the_truth(tmp_path, fake):
    await subscribe(tmp_path, fake, sub(CHANNEL, nation_code="USA"))
    feed_file = tmp_path / "feed.json"
    feed_file.write_text(partial(TEAM_2022), encoding="utf-8")
    async with running_bot(tmp_path, fake, PODIUM_CLOCK="2024-01-30T12:00:00+01:00", PODIUM_FEED_URL=str(feed_file),
                           PODIUM_FEED_INTERVAL=0.1) as run:
        await until(lambda: run.bot.feed.polls["applied"] >= 1, 10, "the first sync")
        for count, results in enumerate((TEAM_2024, TEAM_2022, TEAM_2024, TEAM_2022), start=1):
            feed_file.write_text(partial(results), encoding="utf-8")
            await until(lambda: len(medal_posts(fake, CHANNEL)) >= count, 10, f"live post {count}")
        seen = run.bot.feed.polls["unchanged"]
        await until(lambda: run.bot.feed.polls["unchanged"] >= seen + 3, 10, "more polls")  # the same file again: nothing more
    assert medal_posts(fake, CHANNEL) == [USA_GOLD, USA_SILVER, USA_GOLD, USA_SILVER]  # the last word is the truth: silver


async def test_a_correction_made_while_the_bot_was_down_is_posted_once_after_the_restart(tmp_path, fake):
    newcomer = 626262626262626202  # subscribed while the bot was down: never told anything, so nothing to correct
    fake.add_channel(GUILD, newcomer, "newcomer")
    await subscribe(tmp_path, fake, sub(CHANNEL, nation_code="USA"))
    feed_file = tmp_path / "feed.json"
    feed_file.write_text(partial(TEAM_2022), encoding="utf-8")
    options = dict(PODIUM_CLOCK="2024-01-30T12:00:00+01:00", PODIUM_FEED_URL=str(feed_file), PODIUM_FEED_INTERVAL=0.1)
    async with running_bot(tmp_path, fake, **options) as run:
        await until(lambda: run.bot.feed.polls["applied"] >= 1, 10, "the first sync")
    assert medal_posts(fake, CHANNEL) == []
    feed_file.write_text(partial(TEAM_2024), encoding="utf-8")  # the re-ranking, while the bot is down
    await subscribe(tmp_path, fake, sub(newcomer, nation_code="USA"))
    async with running_bot(tmp_path, fake, **options) as run:
        await until(lambda: len(medal_posts(fake, CHANNEL)) >= 1, 10, "the correction")
        seen = run.bot.feed.polls["unchanged"]
        await until(lambda: run.bot.feed.polls["unchanged"] >= seen + 3, 10, "more polls")
    async with running_bot(tmp_path, fake, **options) as run:  # and once more: nothing new
        await until(lambda: run.bot.feed.polls["applied"] >= 1 and run.bot.feed.polls["unchanged"] >= 2, 10, "the first sync")
    assert medal_posts(fake, CHANNEL) == [USA_GOLD]
    assert medal_posts(fake, newcomer) == []


async def test_a_session_moved_back_and_forth_gets_a_notice_each_time(tmp_path, fake):
    async with posted_at_half_past_eleven(tmp_path, fake) as (run, feed_file):
        curling = next(s for s in to_document(GAMES)["sessions"] if s["id"] == "746282")  # 02:05 CET
        for count, start in enumerate(("2022-02-15T09:35:00+08:00", curling["start"], "2022-02-15T09:35:00+08:00"), start=1):
            applied = run.bot.feed.polls["applied"]
            feed_file.write_text(partial(sessions=[dict(curling, start=start)]), encoding="utf-8")
            await until(lambda: run.bot.feed.polls["applied"] > applied, 10, f"move {count}")  # its edit and notice done
            assert run.bot.live.edited == count
    notices = [m["content"].rsplit("now starts at ", 1)[1] for m in fake.messages(CHANNEL) if m["content"].startswith("⏰")]
    assert notices == ["02:35 (was 02:05).", "02:05 (was 02:35).", "02:35 (was 02:05)."]
