-- A placeholder, so that this branch's migrations stay contiguous while the
-- numbers before repair_moments belong to other branches' migrations.
-- Delete this file when those are merged.
SELECT 1;
