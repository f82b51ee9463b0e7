-- Standings: where each competitor finished in each session.
CREATE TABLE standings (
    games_id   TEXT NOT NULL,
    session_id TEXT NOT NULL,
    competitor TEXT NOT NULL,
    nation     TEXT NOT NULL REFERENCES nations(code),
    rank       INTEGER CHECK (rank IS NULL OR rank > 0),
    result     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (games_id, session_id, competitor, nation),
    FOREIGN KEY (games_id, session_id) REFERENCES sessions(games_id, id) ON DELETE CASCADE
);
CREATE INDEX standings_by_nation ON standings (games_id, nation);
