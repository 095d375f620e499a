package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// discordgo logs through one package-level function, with the standard log
// package unless told otherwise: raising its level would print request
// bodies (what a partner typed into a form) and, on some errors, the token,
// past Mend's redaction. Every bot sends it to its own logger instead,
// through the redacting handler; a process runs one bot, so the last one
// made is the one that logs.
var (
	discordgoLog     atomic.Pointer[slog.Logger]
	discordgoLogOnce sync.Once
)

// logDiscordgoTo makes discordgo log to log, with the token and interaction
// tokens taken out whatever handler log has.
func logDiscordgoTo(log *slog.Logger, token string) {
	discordgoLog.Store(slog.New(NewRedactingHandler(log.Handler(), token)))
	discordgoLogOnce.Do(func() { discordgo.Logger = discordgoLogger })
}

// discordgoLevels maps discordgo's levels onto slog's. Its debug level is
// left out, and never logged: it prints every gateway event whole, with what
// partners typed into forms.
var discordgoLevels = map[int]slog.Level{
	discordgo.LogError:         slog.LevelError,
	discordgo.LogWarning:       slog.LevelWarn,
	discordgo.LogInformational: slog.LevelInfo,
}

func discordgoLogger(msgL, caller int, format string, a ...any) {
	log := discordgoLog.Load()
	level, ok := discordgoLevels[msgL]
	if !ok || log == nil || !log.Enabled(context.Background(), level) {
		return
	}
	attrs := []any{"source", "discordgo"}
	// caller counts from discordgo's own log function, one frame up.
	if pc, file, line, ok := runtime.Caller(caller + 1); ok {
		attrs = append(attrs, "at", fmt.Sprintf("%s:%d %s", file, line, runtime.FuncForPC(pc).Name()))
	}
	log.Log(context.Background(), level, fmt.Sprintf(format, a...), attrs...)
}
