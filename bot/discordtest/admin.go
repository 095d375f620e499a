package discordtest

// DeleteChannel deletes a channel as a server admin would, from outside the
// bot: its messages go with it, and the bot hears CHANNEL_DELETE when
// dispatch is true (false plays a bot that was offline at the time, and
// learns of it only from a 404 when it next posts there).
func (s *Server) DeleteChannel(id string, dispatch bool) bool {
	s.mu.Lock()
	c, ok := s.channels[id]
	if !ok {
		s.mu.Unlock()
		return false
	}
	delete(s.channels, id)
	for _, m := range s.channelMsgs[id] {
		s.messages[m].deleted = true
	}
	delete(s.channelMsgs, id)
	s.notifyLocked()
	out := cloneChannel(c)
	s.mu.Unlock()
	if dispatch {
		s.Dispatch("CHANNEL_DELETE", out)
	}
	return true
}

// DMs returns the messages the bot sent a user by direct message.
func (s *Server) DMs(userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.channels {
		if len(c.Recipients) == 1 && c.Recipients[0].ID == userID {
			for _, id := range s.channelMsgs[c.ID] {
				out = append(out, s.messages[id].msg.Content)
			}
		}
	}
	return out
}

// DeleteMessage deletes a message as a member of the channel would, from
// outside the bot, and reports whether there was one.
func (s *Server) DeleteMessage(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[id]
	if !ok || m.deleted {
		return false
	}
	s.deleteMessageLocked(m)
	return true
}
