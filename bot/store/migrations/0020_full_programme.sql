-- A channel may ask for the full programme: every session of the day on its own line, in as many
-- messages as it takes (by default a long day is shortened to at most three messages).
ALTER TABLE subscriptions ADD COLUMN full_programme INTEGER NOT NULL DEFAULT 0;
