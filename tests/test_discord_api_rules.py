"""Discord's rules for API clients, checked through the real client and the fake Discord:
every request carries a `DiscordBot (url, version)` User-Agent, and a deferred answer is given
by editing the original response (the documented way), not by a follow-up."""
from __future__ import annotations

import re

from tests.support.commands import EPHEMERAL, ask, assert_error, bot
from tests.support.world import CHANNEL, GUILD, MANAGER, MEMBER

DISCORD_BOT = re.compile(r"^DiscordBot \(\S+,? [^)\s]+\)")


def requests_matching(fake, method: str, pattern: str) -> list[tuple[str, str, str | None]]:
    return [seen for seen in fake.user_agents if seen[0] == method and re.search(pattern, seen[1])]


async def test_every_request_carries_a_discord_bot_user_agent(tmp_path, fake):
    async with bot(tmp_path, fake):
        table = await ask(fake, "medals")  # a public answer with a button
        click = await fake.interact(GUILD, CHANNEL, MEMBER, type=3, custom_id=table["components"][0]["components"][0]["custom_id"])
        await click.response()
        programme = await ask(fake, "programme")
        await programme["handle"].wait_messages(2)  # tomorrow's programme is long: the rest comes as a follow-up
        suggestions = await fake.interact(GUILD, CHANNEL, MEMBER, "medals", {"country": "neth"}, type=4)
        await suggestions.response()
        assert_error(await ask(fake, "medals", {"country": "zzzzzz"}), "zzzzzz")
        subscribed = await ask(fake, "subscribe", {}, user=MANAGER)  # deferred, then edited
        assert subscribed["handle"].callbacks[0]["type"] == 5
    app = fake.application_id
    # each kind of request was made at least once, so the check below covers them all
    assert requests_matching(fake, "GET", r"^/gateway$"), "no gateway upgrade seen"
    assert requests_matching(fake, "PUT", r"/applications/\d+/commands$"), "no REST request seen"
    assert requests_matching(fake, "POST", r"^/api/v10/interactions/\d+/[^/]+/callback$"), "no interaction callback seen"
    assert requests_matching(fake, "POST", rf"^/api/v10/webhooks/{app}/[^/]+$"), "no follow-up seen"
    assert requests_matching(fake, "PATCH", rf"^/api/v10/webhooks/{app}/[^/]+/messages/@original$"), "no edit of an original seen"
    others = sorted({(method, re.sub(r"/\d{6,}|/aW50[^/]+", "/…", path), agent) for method, path, agent in fake.user_agents
                     if not DISCORD_BOT.match(agent or "")})
    assert not others, f"requests without a DiscordBot User-Agent: {others}"


async def test_a_deferred_answer_edits_the_original_response(tmp_path, fake):
    async with bot(tmp_path, fake):
        result = await ask(fake, "subscribe", {}, user=MANAGER)
    handle = result["handle"]
    assert [c["type"] for c in handle.callbacks] == [5]  # deferred ("thinking…")
    assert result["flags"] & EPHEMERAL and "is now on the evening alert" in result["text"]
    webhook = f"/webhooks/{fake.application_id}/{handle.token}"
    assert fake.requests_to("PATCH", f"^{webhook}/messages/@original$"), "the answer did not edit the original response"
    assert not fake.requests_to("POST", f"^{webhook}$"), "the answer was sent as a follow-up"
    assert handle.followups == [] and handle.messages == [handle.original]
