-- A console couple's posts were queued like a Discord couple's, and a bot
-- started on the same database would try to deliver them to a channel that
-- does not exist. Nothing is queued for them any more; what was is dropped.
DELETE FROM posts
WHERE status = 'pending'
  AND couple_id IN (SELECT id FROM couples WHERE guild_id = 'console');
