"""The fan-out benchmark at smoke size: the real bot, the fake Discord in its own process, 50 channels
in every variant of zone, language and focus nation. Checks what was delivered, never how fast."""
from __future__ import annotations

from bench.fanout import CHANNEL_BASE, VARIANTS, run_fanout
from tests.fake_discord.remote import RemoteFake

CHANNELS = 50


async def test_quick_fanout_gives_every_channel_exactly_one_alert(tmp_path):
    async with RemoteFake() as fake:
        result = await run_fanout(CHANNELS, limited=False, fake=fake, folder=tmp_path)
        per_channel = await fake.channel_alerts()
    assert CHANNELS > len(VARIANTS)
    assert per_channel == {CHANNEL_BASE + n: 1 for n in range(CHANNELS)}
    assert result.every_channel_once and result.messages == CHANNELS
    assert result.status_429 == 0


async def test_quick_comparison_delivers_every_body_in_podium_and_both_baselines(tmp_path):
    from bench.fanout import compare

    result = await compare(CHANNELS, with_stdlib_json=False, folder=tmp_path)
    (one,) = result.rounds
    assert one.podium.every_channel_once and one.podium.messages == CHANNELS
    for baseline in (one.raw, one.minimal):
        assert baseline.failures == [] and baseline.messages == CHANNELS, baseline
