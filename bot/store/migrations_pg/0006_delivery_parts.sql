-- Each part of an alert: claimed before it is sent, confirmed with its message id after.
CREATE TABLE delivery_parts (
    channel_id   BIGINT NOT NULL,
    local_date   TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'evening',
    part         INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    claimed_at   TEXT NOT NULL,
    rendered_at  TEXT NOT NULL,
    message_id   BIGINT,
    PRIMARY KEY (channel_id, local_date, kind, part)
);
