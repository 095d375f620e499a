package storage_test

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // zones in tests, on a machine without zone data too

	"mend/conversations"
	"mend/storage"
)

// t0 is a Monday evening; every test counts from it instead of the wall clock.
var t0 = time.Date(2025, 3, 10, 18, 0, 0, 0, time.UTC)

func itoa(n int) string { return strconv.Itoa(n) }

func mustEqual(tb testing.TB, what string, got, want any) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func newCouple(guild, a, b string) conversations.Couple {
	return conversations.Couple{
		GuildID: guild,
		Partners: [2]conversations.Partner{
			{UserID: a, Name: "Partner " + a, ConsentedAt: t0},
			{UserID: b, Name: "Partner " + b, ConsentedAt: t0.Add(time.Hour)},
		},
		Status:    conversations.CoupleActive,
		TimeZone:  "Europe/Berlin",
		CreatedAt: t0,
	}
}

func mustCreateCouple(tb testing.TB, db *storage.DB, guild, a, b string) conversations.Couple {
	tb.Helper()
	c := newCouple(guild, a, b)
	if err := db.Couples.CreateCouple(context.Background(), &c); err != nil {
		tb.Fatal(err)
	}
	return c
}

func newCheckIn(coupleID int64, a, b string, openedAt time.Time, subjects []conversations.Subject) conversations.CheckIn {
	return conversations.CheckIn{
		CoupleID: coupleID,
		Template: conversations.Builtins()[0],
		Subjects: subjects,
		Participants: [2]conversations.Participant{
			{UserID: a, Status: conversations.NotStarted},
			{UserID: b, Status: conversations.NotStarted},
		},
		Status:   conversations.CheckInOpen,
		OpenedAt: openedAt,
		ClosesAt: openedAt.Add(conversations.DefaultWindow),
	}
}

func mustOpenCheckIn(tb testing.TB, db *storage.DB, c conversations.Couple, openedAt time.Time) conversations.CheckIn {
	tb.Helper()
	ci := newCheckIn(c.ID, c.Partners[0].UserID, c.Partners[1].UserID, openedAt, nil)
	if err := db.CheckIns.OpenCheckIn(context.Background(), &ci, nil); err != nil {
		tb.Fatal(err)
	}
	return ci
}

func inProgress(user string, started time.Time) conversations.Participant {
	return conversations.Participant{UserID: user, Status: conversations.InProgress, StartedAt: started}
}

func mustSaveAnswer(tb testing.TB, db *storage.DB, checkInID int64, user, prompt string, subject int64, at time.Time) conversations.Answer {
	tb.Helper()
	a := conversations.Answer{CheckInID: checkInID, UserID: user, PromptID: prompt, SubjectID: subject, Text: "words of " + user, AnsweredAt: at}
	if err := db.Answers.SaveAnswer(context.Background(), a, inProgress(user, at)); err != nil {
		tb.Fatal(err)
	}
	return a
}

func mustFinish(tb testing.TB, db *storage.DB, checkInID int64, user string, at time.Time) {
	tb.Helper()
	p := conversations.Participant{UserID: user, Status: conversations.Done, StartedAt: at, FinishedAt: at.Add(10 * time.Minute)}
	if err := db.Answers.SaveParticipant(context.Background(), checkInID, p); err != nil {
		tb.Fatal(err)
	}
}

func newCommitment(coupleID int64, owner, text string, source int64) conversations.Commitment {
	return conversations.Commitment{CoupleID: coupleID, OwnerID: owner, Text: text, Status: conversations.CommitmentOpen, CreatedAt: t0, SourceCheckInID: source}
}

func mustAddCommitment(tb testing.TB, db *storage.DB, coupleID int64, owner, text string) conversations.Commitment {
	tb.Helper()
	c := newCommitment(coupleID, owner, text, 0)
	if err := db.Commitments.AddCommitment(context.Background(), &c); err != nil {
		tb.Fatal(err)
	}
	return c
}

func mustAddAgreement(tb testing.TB, db *storage.DB, coupleID int64, text string) conversations.Agreement {
	tb.Helper()
	a := conversations.Agreement{CoupleID: coupleID, Text: text, CreatedBy: "alice", Status: conversations.AgreementActive, CreatedAt: t0}
	if err := db.Agreements.AddAgreement(context.Background(), &a); err != nil {
		tb.Fatal(err)
	}
	return a
}

// revealPost is the post a reveal of ci queues.
func revealPost(ci conversations.CheckIn) conversations.Post {
	return conversations.Post{CoupleID: ci.CoupleID, Kind: conversations.PostReveal, CheckInID: ci.ID, CreatedAt: t0, NextAttemptAt: t0}
}
