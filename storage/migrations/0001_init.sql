-- Times are TEXT in UTC with the fixed layout 2006-01-02T15:04:05.000Z, so that
-- comparing and sorting them as strings is comparing and sorting them as times.
-- NULL means "not yet" (not consented, not revealed, not closed).
--
-- Ids that travel in Discord custom IDs use AUTOINCREMENT, so an id freed by a
-- deleted couple is never handed out again and a stale button cannot point at
-- someone else's row.

CREATE TABLE couples (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id   TEXT NOT NULL,
    channel_id TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL CHECK (status IN ('pending', 'active', 'ended')),
    time_zone  TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE partners (
    couple_id    INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    -- 0 is the partner who sent the invitation.
    position     INTEGER NOT NULL CHECK (position IN (0, 1)),
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    consented_at TEXT,
    PRIMARY KEY (couple_id, position),
    UNIQUE (couple_id, user_id)
);

-- CoupleOf starts from the person, then checks the couple's guild and status.
CREATE INDEX partners_user_id ON partners (user_id);
-- Every command in a couple channel starts by finding the couple of it.
CREATE INDEX couples_channel_id ON couples (channel_id) WHERE channel_id <> '';

CREATE TABLE checkins (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id     INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    template_id   TEXT NOT NULL,
    -- The whole template as it was when the check-in opened, so that a config
    -- change cannot reshape a check-in partners are halfway through.
    template_json TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'revealed', 'closed')),
    opened_at     TEXT NOT NULL,
    closes_at     TEXT NOT NULL,
    revealed_at   TEXT,
    closed_at     TEXT,
    -- Where the adapter posted the status line and the reveal, so that a
    -- restart edits those messages instead of posting new ones.
    post_id        TEXT NOT NULL DEFAULT '',
    reveal_post_id TEXT NOT NULL DEFAULT ''
);

-- At most one open check-in per couple, enforced where two processes cannot
-- both miss it.
CREATE UNIQUE INDEX checkins_one_open ON checkins (couple_id) WHERE status = 'open';
CREATE INDEX checkins_couple_id ON checkins (couple_id, opened_at);

CREATE TABLE checkin_participants (
    checkin_id  INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position IN (0, 1)),
    user_id     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'paused', 'done')),
    started_at  TEXT,
    paused_at   TEXT,
    finished_at TEXT,
    PRIMARY KEY (checkin_id, user_id),
    UNIQUE (checkin_id, position)
);

-- The commitments and agreements under review, as they read when the check-in
-- opened: a later edit must not change what was answered.
CREATE TABLE checkin_subjects (
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    prompt_id  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('commitment', 'agreement')),
    subject_id INTEGER NOT NULL,
    text       TEXT NOT NULL,
    owner_id   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (checkin_id, prompt_id, subject_id)
);

-- One column per field rather than a JSON blob, so that follow-through rates
-- and score trends can be computed in SQL. Fields a prompt kind does not use
-- are NULL, so that AVG(scale) and COUNT(verdict) count only real answers.
CREATE TABLE answers (
    checkin_id  INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    prompt_id   TEXT NOT NULL,
    -- 0 for prompts that are not reviews, so the key has no NULL in it.
    subject_id  INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),
    scale       INTEGER,
    choice      TEXT,
    text        TEXT,
    verdict     TEXT,
    note        TEXT,
    due_on      TEXT,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (checkin_id, user_id, prompt_id, subject_id),
    -- Only the check-in's own partners can have answers in it.
    FOREIGN KEY (checkin_id, user_id) REFERENCES checkin_participants (checkin_id, user_id) ON DELETE CASCADE
);

-- "I hear you": a partner's answer to the other's words about a hurt or worry.
-- One per answer, so pressing the button twice records it once.
CREATE TABLE acknowledgements (
    checkin_id INTEGER NOT NULL,
    prompt_id  TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    by_user_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (checkin_id, prompt_id, author_id),
    FOREIGN KEY (checkin_id, author_id) REFERENCES checkin_participants (checkin_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (checkin_id, by_user_id) REFERENCES checkin_participants (checkin_id, user_id) ON DELETE CASCADE
);

CREATE TABLE commitments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id         INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    owner_id          TEXT NOT NULL,
    text              TEXT NOT NULL,
    due_on            TEXT,
    status            TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    created_at        TEXT NOT NULL,
    closed_at         TEXT,
    -- A promise outlives the check-in it was made in.
    source_checkin_id INTEGER REFERENCES checkins (id) ON DELETE SET NULL
);

CREATE INDEX commitments_couple_id ON commitments (couple_id, status);
-- Without it, deleting a check-in scans every commitment to null the reference.
CREATE INDEX commitments_source_checkin_id ON commitments (source_checkin_id);

CREATE TABLE agreements (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    couple_id  INTEGER NOT NULL REFERENCES couples (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    created_at TEXT NOT NULL,
    retired_at TEXT
);

CREATE INDEX agreements_couple_id ON agreements (couple_id, status);
