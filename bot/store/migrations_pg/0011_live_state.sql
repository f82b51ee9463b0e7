-- Live posts follow state: per channel, what it was last told.
CREATE TABLE live_channels (
    channel_id  BIGINT PRIMARY KEY,
    nation_code TEXT NOT NULL,
    since       TEXT NOT NULL
);

CREATE TABLE live_told (
    channel_id  BIGINT NOT NULL,
    subject     TEXT NOT NULL,
    told        TEXT NOT NULL,
    posts       INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (channel_id, subject)
);
