package bot

import (
	_ "embed"
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// zones.txt lists the IANA time zone names (zones and their links) of the tz
// database, from /usr/share/zoneinfo/tzdata.zi of Debian's tzdata:
//
//	(awk '/^Z /{print $2} /^L /{print $3}' /usr/share/zoneinfo/tzdata.zi; echo UTC) | sort -u > bot/zones.txt
//
//go:embed zones.txt
var zonesText string

var zoneNames = strings.Fields(zonesText)

// maxChoices is Discord's limit on autocomplete choices.
const maxChoices = 25

// zoneChoices suggests time zones for what a partner has typed: names that
// start with it first (by city as well as by region), then names containing it.
func zoneChoices(typed string) []*discordgo.ApplicationCommandOptionChoice {
	q := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(typed), " ", "_"))
	type ranked struct {
		name string
		rank int
	}
	var found []ranked
	for _, z := range zoneNames {
		lower := strings.ToLower(z)
		city := lower[strings.LastIndex(lower, "/")+1:]
		switch {
		case q == "":
			if strings.Contains(z, "/") && !strings.HasPrefix(z, "Etc/") {
				found = append(found, ranked{z, 2})
			}
		case strings.HasPrefix(lower, q) || strings.HasPrefix(city, q):
			found = append(found, ranked{z, 0})
		case strings.Contains(lower, q):
			found = append(found, ranked{z, 1})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].rank < found[j].rank })
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, f := range found {
		if len(out) == maxChoices {
			break
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: f.name, Value: f.name})
	}
	return out
}
