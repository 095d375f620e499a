-- Schedules, their runs, reminders, shares and the outbox of channel posts.

CREATE TABLE schedules (
    couple_id    INTEGER PRIMARY KEY REFERENCES couples (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('weekly', 'cron')),
    weekday      INTEGER NOT NULL DEFAULT 0,
    hour         INTEGER NOT NULL DEFAULT 0,
    minute       INTEGER NOT NULL DEFAULT 0,
    every_weeks  INTEGER NOT NULL DEFAULT 1,
    anchor       TEXT NOT NULL DEFAULT '',
    cron         TEXT NOT NULL DEFAULT '',
    time_zone    TEXT NOT NULL,
    template_id  TEXT NOT NULL DEFAULT '',
    -- UTC; the one loop wakes at the earliest of these.
    next_run_at  TEXT NOT NULL,
    paused_until TEXT NOT NULL DEFAULT '',
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX schedules_next_run_at ON schedules (next_run_at);

-- One row per couple and scheduled time, whatever became of it: the primary
-- key is what makes opening a scheduled check-in happen once.
CREATE TABLE schedule_runs (
    couple_id     INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    scheduled_for TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('opened', 'missed', 'skipped')),
    checkin_id    INTEGER REFERENCES checkins (id) ON DELETE SET NULL,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (couple_id, scheduled_for)
);

CREATE TABLE checkin_reminders (
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    slot       INTEGER NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (checkin_id, user_id, slot)
);

-- A partner who finished a check-in that closed unrevealed, and chose to show
-- their answers anyway.
CREATE TABLE checkin_shares (
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    shared_at  TEXT NOT NULL,
    PRIMARY KEY (checkin_id, user_id)
);

ALTER TABLE commitments ADD COLUMN reminded_at TEXT;

-- Channel messages Mend owes, recorded with the change they announce and
-- marked sent once Discord has them.
CREATE TABLE posts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id       INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('checkin', 'reminder', 'closed', 'due')),
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
CREATE INDEX posts_pending ON posts (next_attempt_at) WHERE status = 'pending';
