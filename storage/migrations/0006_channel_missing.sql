-- A couple's channel can be deleted while Mend still owes it messages. The
-- time Mend found out is kept, so nothing is posted and no check-in opens
-- until a partner has the channel made again.
ALTER TABLE couples ADD COLUMN channel_missing_at TEXT;
