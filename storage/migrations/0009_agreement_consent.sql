-- An agreement binds both partners, so both consent to it: one proposes, the
-- other agrees, and only then is it reviewed at check-ins. Retiring one is
-- proposed and agreed the same way, and stays in force ('retiring') until
-- then; a proposal its proposer takes back is 'withdrawn'. SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt, keeping every
-- row: agreements made before consent was asked stay as they were.

CREATE TABLE agreements_new (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id          INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    text               TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('proposed', 'active', 'retiring', 'retired', 'withdrawn')),
    created_at         TEXT NOT NULL,
    retired_at         TEXT,
    agreed_at          TEXT,
    retire_by          TEXT NOT NULL DEFAULT '',
    retire_proposed_at TEXT,
    withdrawn_at       TEXT
);
INSERT INTO agreements_new (id, couple_id, text, created_by, status, created_at, retired_at)
    SELECT id, couple_id, text, created_by, status, created_at, retired_at FROM agreements;
-- Agreement IDs travel in buttons: keep the AUTOINCREMENT counter, so an ID
-- freed by a deleted couple is never handed out again.
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

-- Dropping the old table dropped the triggers that keep plain text out of an
-- encrypted database (migration 7); they guard the new one the same way.
CREATE TRIGGER agreements_sealed_on_insert BEFORE INSERT ON agreements
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER agreements_sealed_on_update BEFORE UPDATE OF text ON agreements
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;
