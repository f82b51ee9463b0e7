-- Which process may act on this database: one row per lease name.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    host        TEXT NOT NULL,
    pid         BIGINT NOT NULL,
    acquired_at TEXT NOT NULL,               -- UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ (compares as text)
    renewed_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
