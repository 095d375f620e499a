-- A couple's place on the guided path: which week of the plan comes next,
-- the packs they turned off, and by pack the questions of the week asked in
-- the pack's current round, so none comes again before the pack is done.
-- One row per couple, written with each check-in that draws a question of
-- the week (the question itself is in the check-in's template_json). The
-- lists are JSON: they are read and written whole, never queried.
CREATE TABLE paths (
    couple_id  INTEGER PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    -- Counts the stored changes: a change is written only over the version
    -- it was made from, so a skip and a check-in opening at the same moment
    -- cannot undo each other.
    version    INTEGER NOT NULL,
    slot       INTEGER NOT NULL DEFAULT 0,
    off        INTEGER NOT NULL DEFAULT 0 CHECK (off IN (0, 1)),
    packs_off  TEXT NOT NULL DEFAULT '[]',
    asked      TEXT NOT NULL DEFAULT '{}',
    rotations  TEXT NOT NULL DEFAULT '{}',
    changed_by TEXT NOT NULL DEFAULT '',
    changed_at TEXT
);
