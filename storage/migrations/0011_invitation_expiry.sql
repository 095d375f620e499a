-- An invitation waits for an answer for a while, not for ever: until it
-- expires it holds both partners, after it neither. Invitations pending from
-- before this change get the default week from when they were sent, so none
-- of them holds anyone for ever either.
ALTER TABLE couples ADD COLUMN invitation_expires_at TEXT;
UPDATE couples
SET invitation_expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+7 days')
WHERE status = 'pending';

-- When the invited partner declined, so that the same person is not asked
-- again at once.
ALTER TABLE couples ADD COLUMN declined_at TEXT;
