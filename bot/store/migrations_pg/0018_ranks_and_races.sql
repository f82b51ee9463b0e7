ALTER TABLE sessions ADD COLUMN ranks TEXT NOT NULL DEFAULT 'overall' CHECK (ranks IN ('overall', 'run', 'race'));
ALTER TABLE standings ADD COLUMN race TEXT;
