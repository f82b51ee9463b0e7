-- Channels on the evening alert, one row per channel (Discord ids are 64-bit: BIGINT).
CREATE TABLE subscriptions (
    channel_id    BIGINT PRIMARY KEY,
    guild_id      BIGINT NOT NULL,
    alert_time    TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    language      TEXT NOT NULL CHECK (language IN ('en', 'nl')),
    sport_id      TEXT,
    nation_code   TEXT,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    paused_reason TEXT,
    created_by    BIGINT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX subscriptions_by_guild ON subscriptions (guild_id);
