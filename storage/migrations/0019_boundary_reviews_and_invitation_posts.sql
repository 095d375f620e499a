-- A check-in may hold a partner's own boundary, which only they look at. SQLite
-- cannot change a CHECK constraint in place, so the table is rebuilt, keeping
-- every row and the triggers that keep plain text out of an encrypted
-- database. Dropping it deletes the talks that point at it, so those are kept
-- aside and put back.
CREATE TEMP TABLE talks_kept AS SELECT * FROM talks;
CREATE TABLE checkin_subjects_new (
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    prompt_id  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('commitment', 'agreement', 'boundary')),
    subject_id INTEGER NOT NULL,
    text       TEXT NOT NULL,
    owner_id   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (checkin_id, prompt_id, subject_id)
);
INSERT INTO checkin_subjects_new (checkin_id, position, prompt_id, kind, subject_id, text, owner_id)
    SELECT checkin_id, position, prompt_id, kind, subject_id, text, owner_id FROM checkin_subjects;
DROP TABLE checkin_subjects;
ALTER TABLE checkin_subjects_new RENAME TO checkin_subjects;
INSERT OR IGNORE INTO talks SELECT * FROM talks_kept;
DROP TABLE talks_kept;

CREATE TRIGGER checkin_subjects_sealed_on_insert BEFORE INSERT ON checkin_subjects
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;
CREATE TRIGGER checkin_subjects_sealed_on_update BEFORE UPDATE OF text ON checkin_subjects
WHEN EXISTS (SELECT 1 FROM encryption) AND ((NEW.text IS NOT NULL AND (typeof(NEW.text) <> 'blob' OR substr(NEW.text, 1, 1) <> x'02' OR hex(substr(NEW.text, 2, 4)) NOT IN (SELECT upper(key_id) FROM encryption_keys))))
BEGIN SELECT RAISE(ABORT, 'the database is encrypted: start Mend with its key (plain text, and values sealed with a key the database does not know, are refused)'); END;

-- Where an invitation was posted, so that it can read "This invitation is
-- closed." as soon as it expires, and when that edit was queued. Only IDs:
-- nothing anyone wrote.
ALTER TABLE couples ADD COLUMN invitation_channel_id TEXT NOT NULL DEFAULT '';
ALTER TABLE couples ADD COLUMN invitation_message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE couples ADD COLUMN invitation_closed_at TEXT;

-- The closing of an expired invitation goes through the outbox, so the
-- posts table is rebuilt once more to accept it.
CREATE TABLE posts_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id       INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('checkin', 'reminder', 'closed', 'due', 'reveal', 'share', 'welcome', 'left', 'invitation-closed')),
    checkin_id      INTEGER REFERENCES checkins (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL DEFAULT '',
    commitment_id   INTEGER REFERENCES commitments (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'gave_up')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    message_id      TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT ''
);
INSERT INTO posts_new SELECT * FROM posts;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX posts_pending ON posts (next_attempt_at) WHERE status = 'pending';
