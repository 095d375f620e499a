-- "Thank you for owning this" is recorded like "I hear you": an
-- acknowledgement of an answer, of another kind. The rows from before are all
-- "I hear you".
ALTER TABLE acknowledgements ADD COLUMN kind TEXT NOT NULL DEFAULT 'heard' CHECK (kind IN ('heard', 'thanked'));

-- "We talked about it": a review the partners saw differently, marked by
-- either of them once they have talked it through. One per review, so a
-- second press records nothing.
CREATE TABLE talks (
    checkin_id INTEGER NOT NULL,
    prompt_id  TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    by_user_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (checkin_id, prompt_id, subject_id),
    FOREIGN KEY (checkin_id, prompt_id, subject_id) REFERENCES checkin_subjects (checkin_id, prompt_id, subject_id) ON DELETE CASCADE,
    FOREIGN KEY (checkin_id, by_user_id) REFERENCES checkin_participants (checkin_id, user_id) ON DELETE CASCADE
);
