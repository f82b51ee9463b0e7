"""The fan-out benchmark at smoke size: the real bot, the fake Discord in its own process, 50 channels
in every variant of zone, language and focus nation. Checks what was delivered, never how fast."""
from __future__ import annotations

from bench.fanout import CHANNEL_BASE, VARIANTS, run_fanout
from bench.remote_fake import RemoteFake

CHANNELS = 50


async def test_quick_fanout_gives_every_channel_exactly_one_alert(tmp_path):
    async with RemoteFake() as fake:
        result = await run_fanout(CHANNELS, limited=False, fake=fake, folder=tmp_path)
        per_channel = await fake.channel_alerts()
    assert CHANNELS > len(VARIANTS)
    assert per_channel == {CHANNEL_BASE + n: 1 for n in range(CHANNELS)}
    assert result.every_channel_once and result.messages == CHANNELS
    assert result.status_429 == 0
