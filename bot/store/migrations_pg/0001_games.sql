-- The Games: schedule and results (as migrations/0001_games.sql). Localised names are JSON text.
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
    code TEXT PRIMARY KEY,
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
    start_utc TEXT NOT NULL,          -- ISO 8601, UTC, fixed width: compares as an instant
    end_utc   TEXT NOT NULL,
    venue     TEXT NOT NULL,
    medals    TEXT NOT NULL DEFAULT '',
    nations   TEXT NOT NULL DEFAULT '',
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

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- PostgreSQL only: the Games revision (SQLite keeps it in user_version), moved by every import.
CREATE TABLE games_revision (
    one   BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    value BIGINT NOT NULL
);
INSERT INTO games_revision (value) VALUES (0);
