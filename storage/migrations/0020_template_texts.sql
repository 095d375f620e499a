-- A check-in keeps the template it opened with, a few kilobytes of JSON.
-- Thousands opening at the same minute mostly share one, so each distinct
-- text is stored once, named by its SHA-256 in hex, and a check-in refers to it.
-- Check-ins opened before keep their own copy in template_json; newer ones
-- leave it empty.
CREATE TABLE checkin_templates (
    hash TEXT PRIMARY KEY,
    json TEXT NOT NULL
) WITHOUT ROWID;

ALTER TABLE checkins ADD COLUMN template_hash TEXT REFERENCES checkin_templates (hash);
