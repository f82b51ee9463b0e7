-- Each part of an alert: claimed before it is sent, confirmed with its message id after. A part
-- claimed but not confirmed may or may not be in Discord; before it is sent again, the bot looks
-- for it among its own messages in the channel since the claim.
CREATE TABLE delivery_parts (
    channel_id   INTEGER NOT NULL,
    local_date   TEXT NOT NULL,              -- the evening's local date, YYYY-MM-DD
    kind         TEXT NOT NULL DEFAULT 'evening',
    part         INTEGER NOT NULL,           -- 0, 1, ... in posting order
    content_hash TEXT NOT NULL,              -- sha256 of the part's text, to recognise it in the channel
    claimed_at   TEXT NOT NULL,              -- real time (UTC) of the first claim: the message is newer
    rendered_at  TEXT NOT NULL,              -- the bot's clock when the alert was rendered (a resumed alert renders as then)
    message_id   INTEGER,                    -- NULL until Discord answered with the message
    PRIMARY KEY (channel_id, local_date, kind, part)
);
