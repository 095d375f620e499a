-- Guided talks after a reveal. While a talk is open its row holds where
-- the talk is; once it ends, only which topic was talked through, when,
-- and how it ended are kept (the other columns are cleared), and a talk
-- that ended before its topic was talked through is deleted. A topic is
-- named by the answer or review it came from, never by words: nothing the
-- partners say in a talk passes through Mend.
CREATE TABLE guided_talks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id      INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    checkin_id     INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL DEFAULT 1,
    stage          TEXT NOT NULL CHECK (stage IN ('asked', 'appreciation', 'topic', 'turns', 'closing', 'ended')),
    -- Only while open:
    asked_by       TEXT NOT NULL DEFAULT '',
    started_at     TEXT,
    expires_at     TEXT,
    read_0         INTEGER NOT NULL DEFAULT 0,
    read_1         INTEGER NOT NULL DEFAULT 0,
    speaker        INTEGER NOT NULL DEFAULT 0 CHECK (speaker IN (0, 1)),
    heard_now      INTEGER NOT NULL DEFAULT 0,
    heard_0        INTEGER NOT NULL DEFAULT 0,
    heard_1        INTEGER NOT NULL DEFAULT 0,
    break_until    TEXT,
    come_back_due  INTEGER NOT NULL DEFAULT 0,
    message_id     TEXT NOT NULL DEFAULT '',
    -- Kept after the end, when the topic was talked through:
    topic_kind     TEXT CHECK (topic_kind IN ('hurt', 'need', 'review', 'aloud')),
    topic_prompt   TEXT NOT NULL DEFAULT '',
    topic_subject  INTEGER NOT NULL DEFAULT 0,
    topic_raised_by TEXT NOT NULL DEFAULT '',
    talked_at      TEXT,
    outcome        TEXT CHECK (outcome IN ('nothing', 'commitment', 'agreement'))
);
-- One open talk per couple.
CREATE UNIQUE INDEX guided_talks_open ON guided_talks (couple_id) WHERE stage <> 'ended';
CREATE INDEX guided_talks_held ON guided_talks (couple_id, talked_at) WHERE stage = 'ended';

-- A talk's posts: its message, the one "Ready to come back?" after a break,
-- and the edit that says a talk whose time ran out has ended. talk_id has
-- no foreign key: the edit outlives the talk it reports ended.
CREATE TABLE posts_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id       INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('checkin', 'reminder', 'closed', 'due', 'reveal', 'share', 'welcome', 'left', 'invitation-closed', 'talk', 'talk-come-back', 'talk-ended')),
    checkin_id      INTEGER REFERENCES checkins (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL DEFAULT '',
    commitment_id   INTEGER REFERENCES commitments (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'gave_up')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    message_id      TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    talk_id         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO posts_new (id, couple_id, kind, checkin_id, user_id, commitment_id, status, attempts, next_attempt_at, created_at, sent_at, message_id, last_error)
    SELECT id, couple_id, kind, checkin_id, user_id, commitment_id, status, attempts, next_attempt_at, created_at, sent_at, message_id, last_error FROM posts;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX posts_pending ON posts (next_attempt_at) WHERE status = 'pending';
