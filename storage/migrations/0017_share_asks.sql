-- A partner who finished a check-in that closed unrevealed and asked to show
-- their answers anyway: they are shown only once the other partner says yes.
CREATE TABLE checkin_share_asks (
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL,
    asked_at   TEXT NOT NULL,
    PRIMARY KEY (checkin_id, user_id)
);
