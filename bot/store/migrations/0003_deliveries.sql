-- The delivery log: one row per (channel, local date, kind) once the alert is out, so that
-- no evening is sent twice, even across restarts.
CREATE TABLE deliveries (
    channel_id  INTEGER NOT NULL,
    local_date  TEXT NOT NULL,                -- the evening's local date, YYYY-MM-DD
    kind        TEXT NOT NULL DEFAULT 'evening',
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    message_ids TEXT NOT NULL DEFAULT '',     -- comma list of the Discord message ids
    detail      TEXT,                         -- why it failed
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (channel_id, local_date, kind)
);
