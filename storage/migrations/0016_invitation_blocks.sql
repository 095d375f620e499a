-- "Don't ask me again": an invitee who blocked an inviter's invitations in a
-- server. It lasts until the blocker invites them, which removes the row.
CREATE TABLE invitation_blocks (
	guild_id   TEXT NOT NULL,
	blocker_id TEXT NOT NULL,
	blocked_id TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (guild_id, blocker_id, blocked_id)
);
