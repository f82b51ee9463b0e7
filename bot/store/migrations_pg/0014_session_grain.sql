-- Data set format extensions: a Games' notes, sources and unranked nations; a session's status,
-- time TBD and own zone; sessions known only as sessions.
ALTER TABLE games ADD COLUMN notes TEXT;
ALTER TABLE games ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
ALTER TABLE games ADD COLUMN unranked_nations TEXT NOT NULL DEFAULT '';

ALTER TABLE sessions ADD COLUMN status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled'));
ALTER TABLE sessions ADD COLUMN time_tbd INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN timezone TEXT;

CREATE TABLE session_slots (
    games_id    TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    sport_id    TEXT NOT NULL REFERENCES sports(id),
    events_text TEXT NOT NULL,
    unit        TEXT NOT NULL,
    start_utc   TEXT NOT NULL,
    end_utc     TEXT NOT NULL,
    venue       TEXT NOT NULL,
    medals      TEXT NOT NULL DEFAULT '',
    nations     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    time_tbd    INTEGER NOT NULL DEFAULT 0,
    timezone    TEXT,
    PRIMARY KEY (games_id, id),
    CHECK (end_utc > start_utc)
);
CREATE INDEX session_slots_by_start ON session_slots (games_id, start_utc);
