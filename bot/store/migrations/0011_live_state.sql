-- Live posts follow state: per channel, what it was last told, so that each change is posted
-- once, also a change back and a change made while the bot was down. (live_posts, a claim per
-- post key, is no longer written; its rows stay as a record.)
CREATE TABLE live_channels (             -- channels whose focus nation's medals are followed
    channel_id  INTEGER PRIMARY KEY,
    nation_code TEXT NOT NULL,           -- the focus nation the told medals are about
    since       TEXT NOT NULL
);

CREATE TABLE live_told (
    channel_id  INTEGER NOT NULL,
    subject     TEXT NOT NULL,           -- medal:<event id> | session:<session id>
    told        TEXT NOT NULL,           -- JSON: the event's medals | the session's start or "cancelled"
    posts       INTEGER NOT NULL DEFAULT 0,  -- live posts made about it (numbers the next one's nonce)
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (channel_id, subject)
);
