-- The notice that a partner left goes through the outbox too, queued with the
-- leave, so it is retried like every other post. SQLite cannot change a CHECK
-- constraint in place, so the posts table is rebuilt once more.

CREATE TABLE posts_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id       INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('checkin', 'reminder', 'closed', 'due', 'reveal', 'share', 'welcome', 'left')),
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
