package bot

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// middleware wraps every route with one step they all share.
type middleware func(next handler) handler

// chain wraps h in steps, the first outermost.
func chain(h handler, steps ...middleware) handler {
	for i := len(steps) - 1; i >= 0; i-- {
		h = steps[i](h)
	}
	return h
}

// logAndCount logs every interaction once it is answered, with how it ended
// and how long it took, and counts it by route and result.
func logAndCount(log *slog.Logger, metrics Metrics) middleware {
	return func(next handler) handler {
		return func(ctx context.Context, it *interaction) error {
			start := time.Now()
			err := next(ctx, it)
			took := time.Since(start)
			log.Info("interaction", "route", it.route, "user", it.userID(), "guild", it.GuildID,
				"ms", took.Milliseconds(), "result", resultOf(err))
			metrics.Interaction(it.route, resultOf(err), took)
			return err
		}
	}
}

func resultOf(err error) string {
	if err == nil {
		return "ok"
	}
	return conversations.ErrorCode(err)
}

// answerFailures tells the person what went wrong, in words meant for them.
func answerFailures(next handler) handler {
	return func(ctx context.Context, it *interaction) error {
		err := next(ctx, it)
		if err != nil {
			it.fail(ctx, it.route, err)
		}
		return err
	}
}

// recoverPanics turns a panic in a handler into an internal error:
// discordgo runs each handler in a bare goroutine, so a panic that got past
// here would end the process for every couple.
func recoverPanics(log *slog.Logger) middleware {
	return func(next handler) handler {
		return func(ctx context.Context, it *interaction) (err error) {
			defer func() {
				if p := recover(); p != nil {
					logPanic(log, "interaction", p, "route", it.route, "user", it.userID())
					err = errPanicked
				}
			}()
			return next(ctx, it)
		}
	}
}

// refuseWhileClosing turns interactions away once Mend is shutting down,
// but for a submitted form: refusing it would lose what was written, and
// Run waits for it.
func refuseWhileClosing(closing *atomic.Bool) middleware {
	return func(next handler) handler {
		return func(ctx context.Context, it *interaction) error {
			if closing.Load() && it.Type != discordgo.InteractionModalSubmit {
				it.route = "closing"
				return conversations.Errorf(conversations.ECONFLICT, "Mend is restarting. Please try again in a minute; nothing you answered is lost.")
			}
			return next(ctx, it)
		}
	}
}

// refuseDirectMessages turns away what is sent outside a server: a couple
// lives in a server's channel.
func refuseDirectMessages(next handler) handler {
	return func(ctx context.Context, it *interaction) error {
		if it.GuildID == "" {
			it.route = "dm"
			return conversations.Errorf(conversations.EINVALID, "Mend works inside a server, in the private channel of a couple. Use its commands there.")
		}
		return next(ctx, it)
	}
}

// deferral is how a route acknowledges an interaction its handler has not
// answered in time.
type deferral int

const (
	// answerInTime: the handler always answers within Discord's three
	// seconds, or opens a form, which cannot follow a deferral.
	answerInTime deferral = iota
	// deferPrivately shows "thinking…" to the person alone.
	deferPrivately
	// deferInChannel shows "thinking…" to everyone in the channel.
	deferInChannel
	// deferUpdate acknowledges a button press; its message is edited later.
	deferUpdate
)

// deferAfter is how long a handler may take before Mend acknowledges for
// it: Discord drops an interaction not acknowledged within three seconds,
// and the acknowledgement takes a while to get there.
const deferAfter = 2 * time.Second

// deferring acknowledges the interaction as kind if the handler has not
// answered after the given time; what the handler answers then becomes an
// edit of the acknowledgement. A handler that answers in time is not
// touched, so what it says first (a refusal, say) stays private.
func deferring(kind deferral, after time.Duration) middleware {
	return func(next handler) handler {
		if kind == answerInTime {
			return next
		}
		return func(ctx context.Context, it *interaction) error {
			fired := make(chan struct{})
			t := time.AfterFunc(after, func() {
				defer close(fired)
				it.deferFor(kind)
			})
			defer func() {
				// The acknowledgement may be on its way: the answer to a
				// failure goes after it.
				if !t.Stop() {
					<-fired
				}
			}()
			return next(ctx, it)
		}
	}
}
