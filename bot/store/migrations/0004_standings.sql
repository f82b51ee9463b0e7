-- Standings: where each competitor finished in each session (not only the medallists).
-- One row per (session, competitor, nation); rank is NULL where there is none (DNF, DSQ, ...).
CREATE TABLE standings (
    games_id   TEXT NOT NULL,
    session_id TEXT NOT NULL,
    competitor TEXT NOT NULL,
    nation     TEXT NOT NULL REFERENCES nations(code),
    rank       INTEGER CHECK (rank IS NULL OR rank > 0),
    result     TEXT NOT NULL DEFAULT '',   -- time, score or points as published
    PRIMARY KEY (games_id, session_id, competitor, nation),
    FOREIGN KEY (games_id, session_id) REFERENCES sessions(games_id, id) ON DELETE CASCADE
);
CREATE INDEX standings_by_nation ON standings (games_id, nation);
