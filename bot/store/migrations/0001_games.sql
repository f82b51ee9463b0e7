-- The Games: schedule and results. Localised names are JSON objects {"en": ..., "nl": ...}.
CREATE TABLE games (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    host_timezone TEXT NOT NULL,
    imported_at   TEXT NOT NULL
);

CREATE TABLE sports (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE nations (
    code TEXT PRIMARY KEY,            -- IOC code
    name TEXT NOT NULL,
    iso2 TEXT,
    iso3 TEXT,
    flag TEXT
);

CREATE TABLE events (
    games_id TEXT NOT NULL REFERENCES games(id) ON DELETE CASCADE,
    id       TEXT NOT NULL,
    sport_id TEXT NOT NULL REFERENCES sports(id),
    gender   TEXT NOT NULL CHECK (gender IN ('M', 'W', 'X', 'O')),
    name     TEXT NOT NULL,
    PRIMARY KEY (games_id, id)
);

CREATE TABLE sessions (
    games_id  TEXT NOT NULL,
    id        TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    unit      TEXT NOT NULL,
    start_utc TEXT NOT NULL,          -- ISO 8601, UTC, e.g. 2022-02-15T07:30:00Z
    end_utc   TEXT NOT NULL,
    venue     TEXT NOT NULL,
    medals    TEXT NOT NULL DEFAULT '',  -- comma list of gold, silver, bronze decided here
    nations   TEXT NOT NULL DEFAULT '',  -- comma list of IOC codes taking part
    PRIMARY KEY (games_id, id),
    FOREIGN KEY (games_id, event_id) REFERENCES events(games_id, id) ON DELETE CASCADE,
    CHECK (end_utc > start_utc)
);
CREATE INDEX sessions_by_start ON sessions (games_id, start_utc);

CREATE TABLE results (
    games_id   TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    medal      TEXT NOT NULL CHECK (medal IN ('gold', 'silver', 'bronze')),
    competitor TEXT NOT NULL,
    nation     TEXT NOT NULL REFERENCES nations(code),
    PRIMARY KEY (games_id, event_id, medal, competitor, nation),
    FOREIGN KEY (games_id, event_id) REFERENCES events(games_id, id) ON DELETE CASCADE
);

-- Small facts about the database itself, e.g. which Games the bot serves.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
