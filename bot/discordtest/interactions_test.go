package discordtest_test

import (
	"bytes"
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // zones in tests, on a machine without zone data too

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
)

func TestSlashCommandResponseIsReturnedByInteract(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	got := make(chan *discordgo.Interaction, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			got <- ic.Interaction
			err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{
					Content:    "Invite sent to Bob.",
					Flags:      discordgo.MessageFlagsEphemeral,
					Components: []discordgo.MessageComponent{button("invite:cancel", "Cancel")},
				},
			})
			if err != nil {
				t.Errorf("respond: %v", err)
			}
		})
	})

	i := srv.SlashCommand(guildID, generalID, alice, "couple", &discordgo.ApplicationCommandInteractionDataOption{
		Name: "invite", Type: discordgo.ApplicationCommandOptionSubCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "partner", Type: discordgo.ApplicationCommandOptionUser, Value: bob.ID},
		},
	})
	resp, err := srv.Interact(ctxFor(t, patience), i)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data == nil ||
		resp.Data.Content != "Invite sent to Bob." || resp.Data.Flags != discordgo.MessageFlagsEphemeral {
		t.Errorf("response %+v", resp.InteractionResponse)
	}
	if b := firstButton(t, resp.Data.Components); b.CustomID != "invite:cancel" {
		t.Errorf("response button %+v", b)
	}
	if resp.Latency <= 0 || resp.Latency > 5*time.Second {
		t.Errorf("latency %v", resp.Latency)
	}

	in := recv(t, got)
	if in.ID != i.ID || in.Token != i.Token || in.AppID != appID || in.Version != 1 || in.GuildID != guildID || in.ChannelID != generalID {
		t.Errorf("interaction %+v", in)
	}
	if in.Member == nil || in.Member.User.ID != alice.ID || in.Member.Permissions != discordgo.PermissionAll {
		t.Errorf("member %+v, want Alice, the owner, with every permission", in.Member)
	}
	if in.AppPermissions != botPerms || in.Locale != discordgo.EnglishUS {
		t.Errorf("app_permissions %b locale %q, want %b en-US", in.AppPermissions, in.Locale, botPerms)
	}
	data := in.ApplicationCommandData()
	sub := data.GetOption("invite")
	if data.Name != "couple" || sub == nil || sub.GetOption("partner").UserValue(nil).ID != bob.ID {
		t.Fatalf("command data %+v", data)
	}
	if data.Resolved == nil || data.Resolved.Users[bob.ID] == nil || data.Resolved.Users[bob.ID].Username != "bob" ||
		data.Resolved.Members[bob.ID] == nil || data.Resolved.Members[bob.ID].Nick != "bobby" {
		t.Errorf("resolved %+v, want Bob as user and member", data.Resolved)
	}

	orig, ok := srv.Original(i.Token)
	if !ok || orig.Content != "Invite sent to Bob." || orig.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("original %+v", orig)
	}
	if b := firstButton(t, orig.Components); b.CustomID != "invite:cancel" {
		t.Errorf("original button %+v", b)
	}
	if msgs := srv.Messages(generalID); len(msgs) != 0 {
		t.Errorf("ephemeral response listed in the channel: %+v", msgs)
	}
}

func TestDeferredResponseIsEditedAndFollowedUp(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	done := make(chan error, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			done <- func() error {
				if err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				}); err != nil {
					return err
				}
				content := "Your progress"
				if _, err := s.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &content}); err != nil {
					return err
				}
				m, err := s.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{
					Content: "Only you see this", Flags: discordgo.MessageFlagsEphemeral,
				})
				if err != nil {
					return err
				}
				edited := "Only you see this, edited"
				_, err = s.FollowupMessageEdit(ic.Interaction, m.ID, &discordgo.WebhookEdit{Content: &edited})
				return err
			}()
		})
	})

	i := srv.SlashCommand(guildID, generalID, alice, "progress")
	resp, err := srv.Interact(ctxFor(t, patience), i)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Errorf("response type %d, want deferred", resp.Type)
	}
	if err := recv(t, done); err != nil {
		t.Fatalf("handler: %v", err)
	}
	orig, ok := srv.Original(i.Token)
	if !ok || orig.Content != "Your progress" || orig.Flags&discordgo.MessageFlagsLoading != 0 || orig.WebhookID != appID {
		t.Errorf("original %+v", orig)
	}
	if msgs := srv.Messages(generalID); len(msgs) != 1 || msgs[0].ID != orig.ID {
		t.Errorf("channel messages %+v, want the public original", msgs)
	}
	f := srv.Followups(i.Token)
	if len(f) != 1 || f[0].Content != "Only you see this, edited" || f[0].Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("followups %+v", f)
	}
}

func TestExpiredTokenFailsAsOnDiscord(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	respondErr := make(chan error, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			respondErr <- s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			})
		})
	})
	i := srv.SlashCommand(guildID, generalID, alice, "checkin")
	if _, err := srv.Interact(ctxFor(t, patience), i); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, respondErr); err != nil {
		t.Fatal(err)
	}

	srv.ExpireToken(i.Token)
	content := "too late"
	_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content})
	restError(t, err, 401, discordgo.ErrCodeInvalidWebhookTokenProvided)
	_, err = s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: content})
	restError(t, err, 401, discordgo.ErrCodeInvalidWebhookTokenProvided)

	// A callback with an expired token is an unknown interaction.
	late := srv.SlashCommand(guildID, generalID, bob, "checkin")
	srv.ExpireAllTokens()
	_, err = srv.Interact(ctxFor(t, patience), late)
	var ce *discordtest.CallbackError
	if !errors.As(err, &ce) || ce.Code != discordgo.ErrCodeUnknownInteraction {
		t.Errorf("Interact error %v, want callback refused with 10062", err)
	}
	restError(t, recv(t, respondErr), 404, discordgo.ErrCodeUnknownInteraction)
}

func TestCallbackAfterDeadlineIsUnknownInteraction(t *testing.T) {
	t.Parallel()
	const deadline = 100 * time.Millisecond
	srv := newFake(t, discordtest.Options{InteractionDeadline: deadline})
	respondErr := make(chan error, 1)
	gaveUp := make(chan struct{})
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			// The handler answers only once Interact has given up, which is
			// after the deadline: Interact waits for it a little longer.
			select {
			case <-gaveUp:
			case <-time.After(patience):
			}
			respondErr <- s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			})
		})
	})
	i := srv.SlashCommand(guildID, generalID, alice, "export")
	start := time.Now()
	// Interact gives up by itself, not at the end of its context.
	_, err := srv.Interact(ctxFor(t, patience), i)
	close(gaveUp)
	if !errors.Is(err, discordtest.ErrNoCallback) || time.Since(start) < deadline {
		t.Fatalf("Interact error %v after %v, want ErrNoCallback after the deadline", err, time.Since(start))
	}
	restError(t, recv(t, respondErr), 404, discordgo.ErrCodeUnknownInteraction)
	_, err = s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "late"})
	restError(t, err, 401, discordgo.ErrCodeInvalidWebhookTokenProvided)
}

func TestSecondCallbackIsAlreadyAcknowledged(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	second := make(chan error, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			r := &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "once"},
			}
			if err := s.InteractionRespond(ic.Interaction, r); err != nil {
				t.Errorf("first respond: %v", err)
			}
			second <- s.InteractionRespond(ic.Interaction, r)
		})
	})
	resp, err := srv.Interact(ctxFor(t, patience), srv.SlashCommand(guildID, generalID, alice, "help"))
	if err != nil || resp.Data.Content != "once" {
		t.Fatalf("Interact: %+v, %v", resp, err)
	}
	restError(t, recv(t, second), 400, discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged)
	if msgs := srv.Messages(generalID); len(msgs) != 1 {
		t.Errorf("%d messages, want 1", len(msgs))
	}
}

func TestComponentResponsesUpdateTheirMessage(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	got := make(chan *discordgo.Interaction, 2)
	handlerErr := make(chan error, 2)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			got <- ic.Interaction
			data := ic.MessageComponentData()
			if data.ComponentType == discordgo.ButtonComponent {
				handlerErr <- s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseUpdateMessage,
					Data: &discordgo.InteractionResponseData{
						Content:    "Alice: started. Bob: not started.",
						Components: []discordgo.MessageComponent{button("checkin:start", "Start my check-in")},
					},
				})
				return
			}
			if err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredMessageUpdate,
			}); err != nil {
				handlerErr <- err
				return
			}
			content := "Trust today: " + data.Values[0]
			_, err := s.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &content})
			handlerErr <- err
		})
	})
	posted, err := s.ChannelMessageSendComplex(generalID, &discordgo.MessageSend{
		Content:    "Check-in time. Alice: not started. Bob: not started.",
		Components: []discordgo.MessageComponent{button("checkin:start", "Start my check-in")},
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx := ctxFor(t, patience)
	press := srv.Component(guildID, generalID, alice, posted.ID, "checkin:start")
	resp, err := srv.Interact(ctx, press)
	if err != nil || resp.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("Interact: %+v, %v", resp, err)
	}
	if err := recv(t, handlerErr); err != nil {
		t.Fatal(err)
	}
	in := recv(t, got)
	if in.Message == nil || in.Message.ID != posted.ID || firstButton(t, in.Message.Components).CustomID != "checkin:start" {
		t.Errorf("interaction message %+v, want the posted message with its button", in.Message)
	}
	msgs := srv.Messages(generalID)
	if len(msgs) != 1 || msgs[0].Content != "Alice: started. Bob: not started." || msgs[0].EditedTimestamp == nil {
		t.Fatalf("channel messages %+v, want the updated check-in message", msgs)
	}

	choose := srv.Component(guildID, generalID, alice, posted.ID, "checkin:scale", "4")
	if _, err := srv.Interact(ctx, choose); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, handlerErr); err != nil {
		t.Fatal(err)
	}
	if in := recv(t, got); in.MessageComponentData().Values[0] != "4" ||
		in.MessageComponentData().ComponentType != discordgo.SelectMenuComponent {
		t.Errorf("select data %+v", in.MessageComponentData())
	}
	m, err := srv.WaitMessage(ctx, generalID, func(m *discordgo.Message) bool { return m.Content == "Trust today: 4" })
	if err != nil {
		t.Fatal(err)
	}
	if orig, _ := srv.Original(choose.Token); orig == nil || orig.ID != m.ID {
		t.Errorf("original of the select %+v, want the component's message %s", orig, m.ID)
	}
}

func TestModalAndAutocomplete(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	got := make(chan *discordgo.Interaction, 3)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			got <- ic.Interaction
			var r *discordgo.InteractionResponse
			switch ic.Type {
			case discordgo.InteractionApplicationCommand:
				r = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
					CustomID: "answer:hurt", Title: "What hurt or worried you",
					Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.TextInput{CustomID: "text", Label: "Your answer", Style: discordgo.TextInputParagraph, Required: true},
					}}},
				}}
			case discordgo.InteractionModalSubmit:
				row := ic.ModalSubmitData().Components[0].(*discordgo.ActionsRow)
				text := row.Components[0].(*discordgo.TextInput).Value
				r = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Content: "Saved: " + text, Flags: discordgo.MessageFlagsEphemeral}}
			case discordgo.InteractionApplicationCommandAutocomplete:
				r = &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
					Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "Europe/Berlin", Value: "Europe/Berlin"},
					}}}
			}
			if err := s.InteractionRespond(ic.Interaction, r); err != nil {
				t.Errorf("respond to %v: %v", ic.Type, err)
			}
		})
	})
	ctx := ctxFor(t, patience)

	resp, err := srv.Interact(ctx, srv.SlashCommand(guildID, generalID, alice, "checkin"))
	if err != nil || resp.Type != discordgo.InteractionResponseModal || resp.Data.CustomID != "answer:hurt" {
		t.Fatalf("modal response %+v, %v", resp, err)
	}
	recv(t, got)

	resp, err = srv.Interact(ctx, srv.ModalSubmit(guildID, generalID, alice, "answer:hurt", map[string]string{"text": "the late nights"}))
	if err != nil || resp.Data.Content != "Saved: the late nights" {
		t.Fatalf("modal submit response %+v, %v", resp, err)
	}
	if in := recv(t, got); in.ModalSubmitData().CustomID != "answer:hurt" {
		t.Errorf("modal data %+v", in.ModalSubmitData())
	}

	ac := srv.Autocomplete(guildID, generalID, alice, "schedule", &discordgo.ApplicationCommandInteractionDataOption{
		Name: "set", Type: discordgo.ApplicationCommandOptionSubCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "weekday", Type: discordgo.ApplicationCommandOptionString, Value: "sunday"},
			{Name: "timezone", Type: discordgo.ApplicationCommandOptionString, Value: "Euro"},
		},
	})
	resp, err = srv.Interact(ctx, ac)
	if err != nil || len(resp.Data.Choices) != 1 || resp.Data.Choices[0].Name != "Europe/Berlin" {
		t.Fatalf("autocomplete response %+v, %v", resp, err)
	}
	in := recv(t, got)
	opts := in.ApplicationCommandData().Options[0].Options
	if in.Type != discordgo.InteractionApplicationCommandAutocomplete || opts[0].Focused || !opts[1].Focused {
		t.Errorf("autocomplete options %+v %+v, want timezone focused", opts[0], opts[1])
	}
}

func TestInvalidCallbackIsRefused(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	respondErr := make(chan error, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			respondErr <- s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseModal,
				Data: &discordgo.InteractionResponseData{
					CustomID: "answer", Title: "A title far longer than the forty-five characters Discord allows",
					Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.TextInput{CustomID: "text", Label: "Answer", Style: discordgo.TextInputShort},
					}}},
				},
			})
		})
	})
	_, err := srv.Interact(ctxFor(t, patience), srv.SlashCommand(guildID, generalID, alice, "checkin"))
	var ce *discordtest.CallbackError
	if !errors.As(err, &ce) || ce.Code != discordgo.ErrCodeInvalidFormBody {
		t.Errorf("Interact error %v, want Invalid Form Body", err)
	}
	restError(t, recv(t, respondErr), 400, discordgo.ErrCodeInvalidFormBody)
}

func TestInteractionResponseWithFile(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	png := []byte("\x89PNG fake chart")
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{
					Content: "Your progress", Flags: discordgo.MessageFlagsEphemeral,
					Files: []*discordgo.File{{Name: "progress.png", ContentType: "image/png", Reader: bytes.NewReader(png)}},
				},
			})
			if err != nil {
				t.Errorf("respond: %v", err)
			}
		})
	})
	i := srv.SlashCommand(guildID, generalID, alice, "progress")
	resp, err := srv.Interact(ctxFor(t, patience), i)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data.Content != "Your progress" || len(resp.Files) != 1 || resp.Files[0].Name != "progress.png" ||
		resp.Files[0].ContentType != "image/png" || !bytes.Equal(resp.Files[0].Data, png) {
		t.Errorf("response %+v files %+v", resp.Data, resp.Files)
	}
	orig, ok := srv.Original(i.Token)
	if !ok || len(orig.Attachments) != 1 {
		t.Fatalf("original %+v", orig)
	}
	if f, ok := srv.Attachment(orig.Attachments[0].ID); !ok || !bytes.Equal(f.Data, png) {
		t.Errorf("attachment %+v", f)
	}
}

func TestFollowupAfterDeferEditsTheLoadingMessage(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	done := make(chan error, 1)
	var original *discordgo.Message
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			done <- func() error {
				if err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
				}); err != nil {
					return err
				}
				if _, err := s.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Content: "Here it is"}); err != nil {
					return err
				}
				var err error
				original, err = s.InteractionResponse(ic.Interaction)
				return err
			}()
		})
	})
	i := srv.SlashCommand(guildID, generalID, alice, "export")
	if _, err := srv.Interact(ctxFor(t, patience), i); err != nil {
		t.Fatal(err)
	}
	if err := recv(t, done); err != nil {
		t.Fatalf("handler: %v", err)
	}
	if original == nil || original.Content != "Here it is" || original.Flags != discordgo.MessageFlagsEphemeral {
		t.Errorf("GET @original %+v, want the loading message turned into the followup, still ephemeral", original)
	}
	if f := srv.Followups(i.Token); len(f) != 0 {
		t.Errorf("followups %+v, want none: the first one edits the deferred message", f)
	}
}
