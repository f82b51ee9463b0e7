-- Which process may act on this database: one row per lease name ('bot' now; 'shard:3' once
-- processes share the shards). The holder renews expires_at on a heartbeat; once it has passed,
-- any process may take the lease over.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,            -- 'bot', later 'shard:<id>'
    holder      TEXT NOT NULL,               -- one process start: host:pid:random
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    acquired_at TEXT NOT NULL,               -- UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ (compares as text)
    renewed_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
