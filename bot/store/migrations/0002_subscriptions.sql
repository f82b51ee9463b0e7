-- Channels on the evening alert, one row per channel.
CREATE TABLE subscriptions (
    channel_id    INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    alert_time    TEXT NOT NULL,                 -- local time of day, HH:MM
    timezone      TEXT NOT NULL,                 -- IANA zone
    language      TEXT NOT NULL CHECK (language IN ('en', 'nl')),
    sport_id      TEXT,                          -- only this sport, or NULL for all
    nation_code   TEXT,                          -- focus nation, or NULL
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    paused_reason TEXT,                          -- why a paused subscription is paused
    created_by    INTEGER,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX subscriptions_by_guild ON subscriptions (guild_id);
