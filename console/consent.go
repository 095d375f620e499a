package console

import (
	"context"
	"fmt"
	"strings"

	"mend/conversations"
)

// consoleConsentLines say what using Mend together means at this keyboard,
// where there is no channel and no server admin, but a file.
func consoleConsentLines(dbPath string) []string {
	return []string{
		"Each of you answers on your own, one after the other at this keyboard. Your answers are shown side by side only once you have both finished.",
		fmt.Sprintf("Everything you write is kept in the file %s on this computer, and anyone who can read that file can read all of it: keep it where only the two of you can. It is an ordinary file: you can copy it, or delete it to forget everything in it.", dbPath),
		"Mend is a tool for the two of you, not a therapist. If things feel too heavy to carry alone, a couples counsellor can help.",
	}
}

// consent shows both partners, once, what using Mend together means and asks
// each of them in turn to say yes. Anything but yes creates nothing: both
// are at the keyboard, so each is asked, not only the one typing.
func (c *console) consent(ctx context.Context, names [2]string) error {
	fmt.Fprintln(c.out)
	writeWrapped(c.out, "Before you start, here is what using Mend together means.", "", c.width)
	for _, line := range consoleConsentLines(c.dbPath) {
		for i, l := range wrap(line, c.width-4) {
			bullet := "  • "
			if i > 0 {
				bullet = "    "
			}
			fmt.Fprintln(c.out, bullet+l)
		}
	}
	for i, name := range names {
		fmt.Fprintf(c.out, "%s, do you want to use Mend together with %s? Type y for yes: ", name, names[1-i])
		line, ok := c.readLine(ctx)
		if !c.interactive {
			// A terminal ends the line with the person's Enter; a pipe does not.
			fmt.Fprintln(c.out)
		}
		if !ok {
			return conversations.Errorf(conversations.EINVALID, "Nothing was created: the input ended before both of you said yes. Mend starts only when you both want it; run the same command again when you are ready.")
		}
		if answer := strings.ToLower(strings.TrimSpace(line.text)); line.tooLong || (answer != "y" && answer != "yes") {
			return conversations.Errorf(conversations.EINVALID, "Nothing was created: %s did not say yes (y or yes). Mend starts only when you both want it; run the same command again whenever you are both ready.", name)
		}
	}
	return nil
}
