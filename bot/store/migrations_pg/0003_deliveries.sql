-- The delivery log: one row per (channel, local date, kind) once the alert is out.
CREATE TABLE deliveries (
    channel_id  BIGINT NOT NULL,
    local_date  TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'evening',
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    message_ids TEXT NOT NULL DEFAULT '',
    detail      TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (channel_id, local_date, kind)
);
