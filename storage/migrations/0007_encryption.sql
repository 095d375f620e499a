-- Encryption at rest of what partners wrote. It is off until Mend first
-- starts with a key; from then on the text columns listed in storage/seal.go
-- hold sealed BLOBs, and these tables remember that it is on.

-- One row once encryption is on.
CREATE TABLE encryption (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    since          TEXT NOT NULL,
    -- 1 until the text written before encryption was turned on is all
    -- sealed: a start seals it in batches, and one that was stopped half-way
    -- carries on at the next start.
    plaintext_left INTEGER NOT NULL CHECK (plaintext_left IN (0, 1))
);

-- The ids of the keys that may have sealed a value here: a hash of each key,
-- never the key. A start without one of them is refused before anything is
-- changed, and a rekey leaves only the key it moved everything to.
CREATE TABLE encryption_keys (
    key_id   TEXT PRIMARY KEY,
    added_at TEXT NOT NULL
);

-- Once encryption is on, a plain text written into a sealed column is
-- refused, whoever writes it: a Mend that started without the key before
-- another started with it must fail loudly, not store words in the clear.
CREATE TRIGGER answers_sealed_on_insert BEFORE INSERT ON answers
WHEN (typeof(NEW.text) = 'text' OR typeof(NEW.note) = 'text') AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER answers_sealed_on_update BEFORE UPDATE OF text, note ON answers
WHEN (typeof(NEW.text) = 'text' OR typeof(NEW.note) = 'text') AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER commitments_sealed_on_insert BEFORE INSERT ON commitments
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER commitments_sealed_on_update BEFORE UPDATE OF text ON commitments
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER agreements_sealed_on_insert BEFORE INSERT ON agreements
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER agreements_sealed_on_update BEFORE UPDATE OF text ON agreements
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER checkin_subjects_sealed_on_insert BEFORE INSERT ON checkin_subjects
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;

CREATE TRIGGER checkin_subjects_sealed_on_update BEFORE UPDATE OF text ON checkin_subjects
WHEN typeof(NEW.text) = 'text' AND EXISTS (SELECT 1 FROM encryption)
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key'); END;
