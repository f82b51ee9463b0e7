-- Live Games: spoilers opt-out; live posts recorded once per channel.
ALTER TABLE subscriptions ADD COLUMN spoilers INTEGER NOT NULL DEFAULT 1;

CREATE TABLE live_posts (
    channel_id  BIGINT NOT NULL,
    post_key    TEXT NOT NULL,
    message_ids TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (channel_id, post_key)
);
