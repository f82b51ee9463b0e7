-- Live Games: a subscription may opt out of spoilers (medal posts, results in the alert), and
-- every live post (a medal, a correction, a schedule notice) is recorded once per channel.
ALTER TABLE subscriptions ADD COLUMN spoilers INTEGER NOT NULL DEFAULT 1;

CREATE TABLE live_posts (
    channel_id  INTEGER NOT NULL,
    post_key    TEXT NOT NULL,               -- e.g. medal:SSK-W-TEAM-PURSUIT:bronze:Netherlands:won
    message_ids TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (channel_id, post_key)
);
