package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mend/conversations"
	"time"
)

var _ conversations.CoupleStore = (*Couples)(nil)

// Couples keeps couples: invitations, consent, leaving, and the channel each
// couple talks in.
type Couples struct{ *conns }

// CreateCouple records c with both partners and sets c.ID. A person can be in
// one pending or active couple per guild: creating a second is ECONFLICT. An
// invitation that expired by c.CreatedAt holds nobody. The check runs under
// the write lock, so two invitations sent at the same moment cannot both pass
// it.
func (st *Couples) CreateCouple(ctx context.Context, c *conversations.Couple) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		if c.Status == conversations.CouplePending || c.Status == conversations.CoupleActive {
			var taken bool
			err := tx.QueryRowContext(ctx, `
				SELECT EXISTS (
					SELECT 1 FROM partners p JOIN couples c ON c.id = p.couple_id
					WHERE p.user_id IN (?, ?) AND c.guild_id = ?
					  AND (c.status = 'active' OR (c.status = 'pending'
					       AND (c.invitation_expires_at IS NULL OR c.invitation_expires_at > ?)))
				)`, c.Partners[0].UserID, c.Partners[1].UserID, c.GuildID, dbTime(c.CreatedAt)).Scan(&taken)
			if err != nil {
				return err
			}
			if taken {
				return conversations.Errorf(conversations.ECONFLICT, "One of you already has a couple here. Each person can be in one couple per server; that couple has to be left first.")
			}
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO couples (guild_id, channel_id, status, time_zone, created_at, invitation_expires_at, declined_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.GuildID, c.ChannelID, c.Status, c.TimeZone, dbTime(c.CreatedAt), dbTime(c.ExpiresAt), dbTime(c.DeclinedAt))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for i, p := range c.Partners {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO partners (couple_id, position, user_id, display_name, consented_at)
				VALUES (?, ?, ?, ?, ?)`,
				id, i, p.UserID, p.Name, dbTime(p.ConsentedAt)); err != nil {
				return fmt.Errorf("partner %d: %w", i, err)
			}
		}
		c.ID = id
		return nil
	})
	if err != nil {
		return fmt.Errorf("create couple in guild %s: %w", c.GuildID, err)
	}
	return nil
}

// UpdateCouple saves the channel, status, time zone, decline and partners of
// c. The guild, the creation time and the expiry of the invitation are fixed
// when the couple is created.
func (st *Couples) UpdateCouple(ctx context.Context, c conversations.Couple, post *conversations.Post) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE couples SET channel_id = ?, status = ?, time_zone = ?, declined_at = ?
			WHERE id = ?`,
			c.ChannelID, c.Status, c.TimeZone, dbTime(c.DeclinedAt), c.ID)
		if err != nil {
			return err
		}
		if err := mustAffectOne(res, "couple"); err != nil {
			return err
		}
		for i, p := range c.Partners {
			res, err := tx.ExecContext(ctx, `
				UPDATE partners SET user_id = ?, display_name = ?, consented_at = ?
				WHERE couple_id = ? AND position = ?`,
				p.UserID, p.Name, dbTime(p.ConsentedAt), c.ID, i)
			if err != nil {
				return fmt.Errorf("partner %d: %w", i, err)
			}
			if err := mustAffectOne(res, "partner"); err != nil {
				return err
			}
		}
		if post != nil {
			return insertPost(ctx, tx, *post)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("update couple %d: %w", c.ID, err)
	}
	return nil
}

// Couple returns the couple with the given ID.
func (st *Couples) Couple(ctx context.Context, id int64) (conversations.Couple, error) {
	var c conversations.Couple
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = loadCouple(ctx, tx, id)
		return err
	})
	if err != nil {
		return conversations.Couple{}, fmt.Errorf("load couple %d: %w", id, err)
	}
	return c, nil
}

// CoupleOf returns the pending or active couple userID belongs to in a guild.
// Should there ever be two, the newest wins. A pending couple is returned
// even when its invitation expired: the service, whose clock decides that,
// answers it for what it is. Nothing newer can hide behind it, because
// while it was open no other couple of the person could be created.
func (st *Couples) CoupleOf(ctx context.Context, guildID, userID string) (conversations.Couple, error) {
	return st.coupleOf(ctx, guildID, userID, `AND c.status IN ('pending', 'active')`)
}

// LastCoupleOf returns the newest couple userID was part of in a guild,
// whatever became of it.
func (st *Couples) LastCoupleOf(ctx context.Context, guildID, userID string) (conversations.Couple, error) {
	return st.coupleOf(ctx, guildID, userID, "")
}

// coupleOf returns the newest couple of userID in a guild that also meets
// where, a constant condition on c.
func (st *Couples) coupleOf(ctx context.Context, guildID, userID, where string) (conversations.Couple, error) {
	var c conversations.Couple
	err := st.read(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `
			SELECT c.id FROM partners p JOIN couples c ON c.id = p.couple_id
			WHERE p.user_id = ? AND c.guild_id = ? `+where+`
			ORDER BY c.id DESC LIMIT 1`,
			userID, guildID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("couple")
		}
		if err != nil {
			return err
		}
		c, err = loadCouple(ctx, tx, id)
		return err
	})
	if err != nil {
		return conversations.Couple{}, fmt.Errorf("find couple of %s in guild %s: %w", userID, guildID, err)
	}
	return c, nil
}

// CoupleByChannel returns the couple whose private channel it is, ended couples
// included. Should a channel ever have served two couples, the newest wins.
func (st *Couples) CoupleByChannel(ctx context.Context, channelID string) (conversations.Couple, error) {
	if channelID == "" {
		// Couples without a channel yet store '', which must not match.
		return conversations.Couple{}, notFound("couple")
	}
	var c conversations.Couple
	err := st.read(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `
			SELECT id FROM couples WHERE channel_id = ? ORDER BY id DESC LIMIT 1`, channelID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("couple")
		}
		if err != nil {
			return err
		}
		c, err = loadCouple(ctx, tx, id)
		return err
	})
	if err != nil {
		return conversations.Couple{}, fmt.Errorf("find couple of channel %s: %w", channelID, err)
	}
	return c, nil
}

// InvitationHistory returns what came of inviterID's invitations to
// inviteeID in a guild: the last decline, how many were sent after since,
// and whether inviteeID blocked inviterID.
func (st *Couples) InvitationHistory(ctx context.Context, guildID, inviterID, inviteeID string, since time.Time) (conversations.InvitationHistory, error) {
	var h conversations.InvitationHistory
	err := st.read(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			SELECT MAX(c.declined_at), COUNT(CASE WHEN c.created_at > ? THEN 1 END) FROM couples c
			JOIN partners inviter ON inviter.couple_id = c.id AND inviter.position = 0
			JOIN partners invitee ON invitee.couple_id = c.id AND invitee.position = 1
			WHERE c.guild_id = ? AND inviter.user_id = ? AND invitee.user_id = ?`,
			dbTime(since), guildID, inviterID, inviteeID).Scan(timeColumn{&h.LastDecline}, &h.Sent)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `
			SELECT EXISTS (SELECT 1 FROM invitation_blocks WHERE guild_id = ? AND blocker_id = ? AND blocked_id = ?)`,
			guildID, inviteeID, inviterID).Scan(&h.Blocked)
	})
	if err != nil {
		return conversations.InvitationHistory{}, fmt.Errorf("find invitations of %s to %s in guild %s: %w", inviterID, inviteeID, guildID, err)
	}
	return h, nil
}

// SetInvitationBlock records or lifts blockerID's "Don't ask me again" to
// blockedID in a guild.
func (st *Couples) SetInvitationBlock(ctx context.Context, guildID, blockerID, blockedID string, blocked bool, at time.Time) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		if !blocked {
			_, err := tx.ExecContext(ctx, `DELETE FROM invitation_blocks WHERE guild_id = ? AND blocker_id = ? AND blocked_id = ?`, guildID, blockerID, blockedID)
			return err
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO invitation_blocks (guild_id, blocker_id, blocked_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, guildID, blockerID, blockedID, dbTime(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("set invitation block of %s to %s in guild %s: %w", blockerID, blockedID, guildID, err)
	}
	return nil
}

// SetInvitationPost records where a pending invitation was posted.
func (st *Couples) SetInvitationPost(ctx context.Context, coupleID int64, channelID, messageID string) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			UPDATE couples SET invitation_channel_id = ?, invitation_message_id = ?
			WHERE id = ? AND status = 'pending'`, channelID, messageID, coupleID)
		return err
	})
	if err != nil {
		return fmt.Errorf("record the post of invitation %d: %w", coupleID, err)
	}
	return nil
}

// CloseExpiredInvitations queues the edit that closes every expired pending
// invitation whose post is known and not closed yet, and marks it closed, in
// one transaction, so it is queued once.
func (st *Couples) CloseExpiredInvitations(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := st.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT id FROM couples
			WHERE status = 'pending' AND invitation_message_id <> '' AND invitation_closed_at IS NULL
			  AND invitation_expires_at IS NOT NULL AND invitation_expires_at <= ?`, dbTime(now))
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE couples SET invitation_closed_at = ? WHERE id = ?`, dbTime(now), id); err != nil {
				return err
			}
			p := conversations.Post{CoupleID: id, Kind: conversations.PostInvitationClosed, CreatedAt: now, NextAttemptAt: now}
			if err := insertPost(ctx, tx, p); err != nil {
				return fmt.Errorf("queue the closing of invitation %d: %w", id, err)
			}
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("close expired invitations: %w", err)
	}
	return n, nil
}

func loadCouple(ctx context.Context, tx *sql.Tx, id int64) (conversations.Couple, error) {
	c := conversations.Couple{ID: id}
	err := tx.QueryRowContext(ctx, `
		SELECT guild_id, channel_id, status, time_zone, created_at, channel_missing_at, invitation_expires_at, declined_at,
		       invitation_channel_id, invitation_message_id
		FROM couples WHERE id = ?`, id).
		Scan(&c.GuildID, &c.ChannelID, &c.Status, &c.TimeZone, timeColumn{&c.CreatedAt}, timeColumn{&c.ChannelMissingAt},
			timeColumn{&c.ExpiresAt}, timeColumn{&c.DeclinedAt}, &c.InvitationChannelID, &c.InvitationMessageID)
	if errors.Is(err, sql.ErrNoRows) {
		return conversations.Couple{}, notFound("couple")
	}
	if err != nil {
		return conversations.Couple{}, err
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT position, user_id, display_name, consented_at
		FROM partners WHERE couple_id = ? ORDER BY position`, id)
	if err != nil {
		return conversations.Couple{}, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var pos int
		var p conversations.Partner
		if err := rows.Scan(&pos, &p.UserID, &p.Name, timeColumn{&p.ConsentedAt}); err != nil {
			return conversations.Couple{}, err
		}
		if pos < 0 || pos > 1 {
			return conversations.Couple{}, fmt.Errorf("partner at position %d", pos)
		}
		c.Partners[pos] = p
		n++
	}
	if err := rows.Err(); err != nil {
		return conversations.Couple{}, err
	}
	if n != 2 {
		return conversations.Couple{}, fmt.Errorf("couple has %d partners, want 2", n)
	}
	return c, nil
}

// MarkChannelMissing records that the couple's channel is gone.
func (st *Couples) MarkChannelMissing(ctx context.Context, coupleID int64, channelID string, at time.Time) (bool, error) {
	marked := false
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE couples SET channel_missing_at = ?
			WHERE id = ? AND channel_id = ? AND channel_missing_at IS NULL`, dbTime(at), coupleID, channelID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		marked = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("mark channel of couple %d missing: %w", coupleID, err)
	}
	return marked, nil
}

// ReplaceChannel gives the couple its new channel and sends what waited for it.
func (st *Couples) ReplaceChannel(ctx context.Context, coupleID int64, channelID string, at time.Time, posts []conversations.Post) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE couples SET channel_id = ?, channel_missing_at = NULL WHERE id = ?`, channelID, coupleID)
		if err != nil {
			return err
		}
		if err := mustAffectOne(res, "couple"); err != nil {
			return err
		}
		// The status message of an open check-in was in the old channel.
		if _, err := tx.ExecContext(ctx, `UPDATE checkins SET post_id = '' WHERE couple_id = ? AND status = 'open'`, coupleID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE posts SET next_attempt_at = ? WHERE couple_id = ? AND status = 'pending'`, dbTime(at), coupleID); err != nil {
			return err
		}
		for _, p := range posts {
			if err := insertPost(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("replace channel of couple %d: %w", coupleID, err)
	}
	return nil
}
