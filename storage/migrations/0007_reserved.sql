-- A stand-in for a change reserved for a branch developed alongside this one,
-- so that the numbers stay contiguous here. It changes nothing; it is
-- replaced by that change when the branches are merged.
SELECT 1;
