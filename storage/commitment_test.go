package storage_test

import (
	"context"
	"testing"
	"time"

	"mend/conversations"
)

func TestOpenCommitmentsListsOpenCommitmentsOfCoupleByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	other := mustCreateCouple(t, db, "g1", "carol", "dave")
	ci := mustOpenCheckIn(t, db, c, t0)

	first := newCommitment(c.ID, "alice", "home by 7 pm on weekdays", 0)
	first.DueOn = "2025-03-14"
	done := newCommitment(c.ID, "bob", "fix the bike", 0)
	done.Status, done.ClosedAt = conversations.CommitmentDone, t0.Add(time.Hour)
	dropped := newCommitment(c.ID, "bob", "run a marathon", 0)
	dropped.Status, dropped.ClosedAt = conversations.CommitmentDropped, t0.Add(time.Hour)
	theirs := newCommitment(other.ID, "carol", "call on Sundays", 0)
	last := newCommitment(c.ID, "bob", "cook on Fridays", ci.ID)
	for _, cm := range []*conversations.Commitment{&first, &done, &dropped, &theirs, &last} {
		if err := db.Commitments.AddCommitment(ctx, cm); err != nil {
			t.Fatal(err)
		}
		if cm.ID == 0 {
			t.Fatal("AddCommitment did not set the ID")
		}
	}

	mustEqual(t, "open commitments", mustOpenCommitments(t, db, c.ID), []conversations.Commitment{first, last})
}

func TestAddCommitmentToUnknownCoupleIsNotFound(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	cm := newCommitment(404, "alice", "home by 7 pm", 0)
	wantCode(t, db.Commitments.AddCommitment(context.Background(), &cm), conversations.ENOTFOUND)
	if cm.ID != 0 {
		t.Errorf("refused commitment got ID %d", cm.ID)
	}
}

func TestActiveAgreementsListsActiveAgreementsOfCoupleByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	other := mustCreateCouple(t, db, "g1", "carol", "dave")

	money := conversations.Agreement{CoupleID: c.ID, Text: "we are open about money", CreatedBy: "alice", Status: conversations.AgreementActive, CreatedAt: t0}
	retired := conversations.Agreement{CoupleID: c.ID, Text: "no phones at dinner", CreatedBy: "bob", Status: conversations.AgreementRetired, CreatedAt: t0, RetiredAt: t0.Add(time.Hour)}
	theirs := conversations.Agreement{CoupleID: other.ID, Text: "weekly date", CreatedBy: "carol", Status: conversations.AgreementActive, CreatedAt: t0}
	sleep := conversations.Agreement{CoupleID: c.ID, Text: "no going to bed angry", CreatedBy: "bob", Status: conversations.AgreementActive, CreatedAt: t0.Add(time.Minute)}
	for _, a := range []*conversations.Agreement{&money, &retired, &theirs, &sleep} {
		if err := db.Agreements.AddAgreement(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 {
			t.Fatal("AddAgreement did not set the ID")
		}
	}

	got, err := db.Agreements.ActiveAgreements(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "active agreements", got, []conversations.Agreement{money, sleep})
}

func TestAddAgreementToUnknownCoupleIsNotFound(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	a := conversations.Agreement{CoupleID: 404, Text: "x", CreatedBy: "alice", Status: conversations.AgreementActive, CreatedAt: t0}
	wantCode(t, db.Agreements.AddAgreement(context.Background(), &a), conversations.ENOTFOUND)
}
