// Package conversations is Mend's domain: couples rebuilding trust through
// check-ins, and everything that follows from them. It knows no Discord and
// no SQL; adapters (the bot, the console) turn what people do into calls
// here, and a store (storage) keeps what happens.
//
// New returns the domain as one value per aggregate, all sharing one core
// (the stores, the clock, the templates and the settings):
//
//   - Couples: an invitation and its answer, consent, names, leaving, and
//     the couple's channel (lost and made again);
//   - CheckIns: a couple's check-in as a whole: opening one, the one open
//     now, its reveal, acknowledging and talking about what was revealed,
//     posting a reveal again, sharing the answers of one that closed;
//   - Turns: one partner's way through a check-in: beginning, answering or
//     skipping step by step, pausing, rereading and sending;
//   - Commitments and Agreements: what partners promise and agree on, and
//     how they keep it;
//   - Schedules: when check-ins open, and the loop that opens, reminds and
//     closes them;
//   - Outbox: every post owed to a couple's channel, what it shows when it
//     is sent, and what became of it;
//   - Records: history, progress, export and forgetting;
//   - GuidedPath: the themes and packs questions of the week come from.
//
// The domain alone decides who may act. Every call a person starts carries
// an Actor (user, guild, channel), and the domain resolves the couple of that
// channel itself, checking that the person is one of its two partners, in its
// own server. Adapters parse, call and render; they never authorize. Calls
// Mend makes on its own (the scheduler, the outbox, a lost channel) take no
// Actor.
package conversations
