-- Turning packs off for both is a proposal the other partner accepts: the
-- packs proposed off (JSON, like packs_off) and who proposed them, until the
-- other partner answers.
ALTER TABLE paths ADD COLUMN proposed_off TEXT NOT NULL DEFAULT '[]';
ALTER TABLE paths ADD COLUMN proposed_by TEXT NOT NULL DEFAULT '';
