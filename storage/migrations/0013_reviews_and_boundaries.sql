-- Reviews no longer grade a partner: "missed" and "not respected" read as
-- "not this week", and an agreement's "respected" as "kept", the answers
-- every review now offers. Nothing a partner wrote in a note changes.
UPDATE answers SET verdict = 'not_this_week' WHERE verdict IN ('missed', 'not_respected');
UPDATE answers SET verdict = 'kept' WHERE verdict = 'respected';

-- A proposal the other partner would rather not make is 'declined': nothing
-- was agreed, and it is never reviewed. SQLite cannot change a CHECK
-- constraint in place, so the table is rebuilt as in migration 9, keeping
-- every row, its id counter and the triggers that keep plain text out of an
-- encrypted database.
CREATE TABLE agreements_new (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id          INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    text               TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'retiring', 'retired', 'withdrawn', 'declined')),
    created_at         TEXT NOT NULL,
    retired_at         TEXT,
    agreed_at          TEXT,
    retire_by          TEXT NOT NULL DEFAULT '',
    retire_proposed_at TEXT,
    withdrawn_at       TEXT
);
INSERT INTO agreements_new SELECT id, couple_id, text, created_by, status, created_at, retired_at,
    agreed_at, retire_by, retire_proposed_at, withdrawn_at FROM agreements;
CREATE TEMP TABLE agreements_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'agreements';
DROP TABLE agreements;
ALTER TABLE agreements_new RENAME TO agreements;
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'agreements', seq FROM agreements_seq
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'agreements');
UPDATE sqlite_sequence SET seq = (SELECT seq FROM agreements_seq)
    WHERE name = 'agreements' AND seq < (SELECT seq FROM agreements_seq);
DROP TABLE agreements_seq;
CREATE INDEX agreements_couple_id ON agreements (couple_id, status);

CREATE TRIGGER agreements_sealed_on_insert BEFORE INSERT ON agreements
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER agreements_sealed_on_update BEFORE UPDATE OF text ON agreements
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

-- A personal boundary is one partner's own ("I need a day's notice before
-- plans with your family"): it needs nobody's agreement, and only its owner
-- changes or ends it. An ended one is kept, as what was said.
CREATE TABLE boundaries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id  INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    owner_id   TEXT NOT NULL,
    text       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'ended')),
    created_at TEXT NOT NULL,
    changed_at TEXT,
    ended_at   TEXT
);
CREATE INDEX boundaries_couple_id ON boundaries (couple_id, status);

CREATE TRIGGER boundaries_sealed_on_insert BEFORE INSERT ON boundaries
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER boundaries_sealed_on_update BEFORE UPDATE OF text ON boundaries
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;
