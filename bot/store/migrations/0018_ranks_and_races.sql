-- What a session's ranks are (overall places, one run's places, or places within each race), and
-- the race a standing's rank is in, for a session of several races (Final A, Final B).
ALTER TABLE sessions ADD COLUMN ranks TEXT NOT NULL DEFAULT 'overall' CHECK (ranks IN ('overall', 'run', 'race'));
ALTER TABLE standings ADD COLUMN race TEXT;  -- localised JSON text, or NULL
