package bot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"

	"mend/conversations"
)

// chartProgress is a couple's progress with weeks weekly revealed check-ins.
func chartProgress(weeks int) conversations.Progress {
	first := time.Date(2025, time.March, 12, 19, 30, 0, 0, time.UTC)
	p := conversations.Progress{
		Couple: conversations.Couple{
			ID:       7,
			TimeZone: "Europe/Berlin",
			Partners: [2]conversations.Partner{
				{UserID: "100", Name: "Maya"},
				{UserID: "200", Name: "Jordan"},
			},
		},
		Since:       first.AddDate(0, 0, -1),
		Until:       first.AddDate(0, 0, 7*max(weeks, 12)),
		Revealed:    weeks,
		SharedWeeks: weeks,
		Weeks:       max(weeks, 12),
	}
	for i := range p.Partners {
		p.Partners[i].Partner = p.Couple.Partners[i]
	}
	for w := 0; w < weeks; w++ {
		at := first.AddDate(0, 0, 7*w)
		// Maya climbs slowly from 2 to 4 with the odd hard week; Jordan
		// often answers the same, sometimes a step apart.
		maya := 2 + (3*w)/max(weeks, 1)
		if w%7 == 3 {
			maya--
		}
		jordan := maya
		switch {
		case w%5 == 1:
			jordan++
		case w%4 == 2:
			jordan--
		}
		p.Partners[0].Trust = append(p.Partners[0].Trust, conversations.TrustPoint{CheckInID: int64(w + 1), At: at, Value: clampScale(maya)})
		p.Partners[1].Trust = append(p.Partners[1].Trust, conversations.TrustPoint{CheckInID: int64(w + 1), At: at, Value: clampScale(jordan)})
	}
	if weeks == 1 {
		// One check-in where they answered apart, so both points show.
		p.Partners[1].Trust[0].Value = 4
	}
	if weeks > 0 {
		p.Partners[0].OwnView = conversations.Tally{Kept: 4, Partly: 1, Reviews: 6}
		p.Partners[0].OtherView = conversations.Tally{Kept: 3, Partly: 2, Reviews: 6}
		p.Partners[1].OwnView = conversations.Tally{Kept: 2, Partly: 2, Reviews: 4}
	}
	return p
}

func clampScale(v int) int {
	return min(max(v, conversations.ScaleMin), conversations.ScaleMax)
}

func decodeChart(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode chart: %v", err)
	}
	return img
}

func drawChart(t testing.TB, p conversations.Progress) []byte {
	t.Helper()
	b, err := progressChart(p)
	if err != nil {
		t.Fatalf("progressChart: %v", err)
	}
	return b
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// plotPixels counts pixels of exactly colour c below the header, where the
// plot is; the legend's thumbnails above it do not count.
func plotPixels(img image.Image, c color.Color) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y + chartHeaderHeight; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if sameColor(img.At(x, y), c) {
				n++
			}
		}
	}
	return n
}

func TestProgressChartSize(t *testing.T) {
	for _, weeks := range []int{0, 1, 52} {
		img := decodeChart(t, drawChart(t, chartProgress(weeks)))
		if got := img.Bounds().Size(); got != (image.Point{X: chartWidth, Y: chartHeight}) {
			t.Errorf("%d weeks: chart is %v, want %dx%d", weeks, got, chartWidth, chartHeight)
		}
	}
}

func TestProgressChartIsAnOpaqueCard(t *testing.T) {
	for _, weeks := range []int{0, 1, 52} {
		img := decodeChart(t, drawChart(t, chartProgress(weeks)))
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if _, _, _, a := img.At(x, y).RGBA(); a != 0xFFFF {
					t.Fatalf("%d weeks: pixel (%d,%d) is not opaque (alpha %#x)", weeks, x, y, a)
				}
			}
		}
		if got := img.At(10, chartHeight/2); !sameColor(got, chartBackground) {
			t.Errorf("%d weeks: background is %v, want %v", weeks, got, chartBackground)
		}
	}
}

func TestProgressChartWithCheckInsIsNotBlank(t *testing.T) {
	for _, weeks := range []int{1, 52} {
		img := decodeChart(t, drawChart(t, chartProgress(weeks)))
		colors := map[color.RGBA]bool{}
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				colors[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
			}
		}
		if len(colors) < 50 {
			t.Errorf("%d weeks: only %d distinct colours", weeks, len(colors))
		}
	}
}

func TestProgressChartDrawsEachPartnersLine(t *testing.T) {
	for _, weeks := range []int{1, 52} {
		img := decodeChart(t, drawChart(t, chartProgress(weeks)))
		for i, c := range partnerColors {
			// A single marker is some eighty pixels; a legend thumbnail
			// would not count, it is in the header.
			if n := plotPixels(img, c); n < 40 {
				t.Errorf("%d weeks: partner %d's colour %v covers %d pixels of the plot, want at least 40", weeks, i, c, n)
			}
		}
	}
}

func TestProgressChartWithoutCheckInsDrawsNoLines(t *testing.T) {
	img := decodeChart(t, drawChart(t, chartProgress(0)))
	for i, c := range partnerColors {
		if n := plotPixels(img, c); n != 0 {
			t.Errorf("partner %d's colour covers %d pixels of an empty plot", i, n)
		}
	}
}

func TestProgressChartWithoutDatesDrawsEmptyAxis(t *testing.T) {
	// A zero Progress has no span to show: still a chart, not an error.
	img := decodeChart(t, drawChart(t, conversations.Progress{}))
	if got := img.Bounds().Size(); got != (image.Point{X: chartWidth, Y: chartHeight}) {
		t.Errorf("chart is %v, want %dx%d", got, chartWidth, chartHeight)
	}
}

func TestProgressChartIsDeterministic(t *testing.T) {
	p := chartProgress(52)
	if !bytes.Equal(drawChart(t, p), drawChart(t, p)) {
		t.Error("two drawings of the same progress differ")
	}
}

func TestProgressChart52WeeksWritesPNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.png")
	if err := os.WriteFile(path, drawChart(t, chartProgress(52)), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	decodeChart(t, b)

	// MEND_CHART_OUT=1 go test ./bot/ -run Chart leaves the charts where a
	// person can look at them.
	if os.Getenv("MEND_CHART_OUT") == "" {
		return
	}
	for _, weeks := range []int{0, 1, 52} {
		out := filepath.Join("/tmp", "mend-chart-"+strconv.Itoa(weeks)+".png")
		if err := os.WriteFile(out, drawChart(t, chartProgress(weeks)), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", out)
	}
}

func TestChartDateTicksDoNotOverlap(t *testing.T) {
	const width = chartWidth - 2*chartMargin - 70
	sty := chartText(chartSans, chartTickSize, chartMutedInk)
	first := chartDay(time.Date(2025, time.March, 12, 0, 0, 0, 0, time.UTC), time.UTC)
	for _, days := range []float64{6, 14, 84, 364, 3 * 365} {
		ticks := dayTicks(first, first+days, first, width, sty)
		if len(ticks) < 2 || len(ticks) > 12 {
			t.Errorf("%v days: %d ticks", days, len(ticks))
			continue
		}
		for i := 1; i < len(ticks); i++ {
			x0 := vg.Length((ticks[i-1].Value-first)/days) * width
			x1 := vg.Length((ticks[i].Value-first)/days) * width
			if x0+sty.Width(ticks[i-1].Label)/2 >= x1-sty.Width(ticks[i].Label)/2 {
				t.Errorf("%v days: labels %q and %q overlap", days, ticks[i-1].Label, ticks[i].Label)
			}
		}
	}
}

func TestChartDateTicksAreShortDates(t *testing.T) {
	sty := chartText(chartSans, chartTickSize, chartMutedInk)
	first := chartDay(time.Date(2025, time.March, 12, 0, 0, 0, 0, time.UTC), time.UTC)
	ticks := dayTicks(first, first+70, first, chartWidth, sty)
	if len(ticks) == 0 || ticks[0].Label != "12 Mar" {
		t.Fatalf("ticks = %v, want the first labelled 12 Mar", ticks)
	}
	// Over New Year the first tick and the first of the new year carry it.
	first = chartDay(time.Date(2025, time.November, 1, 0, 0, 0, 0, time.UTC), time.UTC)
	var labels []string
	for _, tk := range dayTicks(first, first+150, first, chartWidth, sty) {
		labels = append(labels, tk.Label)
	}
	got := strings.Join(labels, ",")
	if !strings.HasPrefix(got, "1 Nov 2025,") || strings.Count(got, "2025") != 1 || strings.Count(got, "2026") != 1 {
		t.Errorf("labels over New Year = %s, want the year on the first and where it changes", got)
	}
}

func TestChartDayIsTheCouplesCalendarDay(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	// 20:00 UTC on the 12th is already the 13th in Tokyo.
	at := time.Date(2025, time.March, 12, 20, 0, 0, 0, time.UTC)
	if got := dayDate(chartDay(at, tokyo)).Format("2 Jan"); got != "13 Mar" {
		t.Errorf("day in Tokyo = %s, want 13 Mar", got)
	}
}

func TestChartFollowThroughCaption(t *testing.T) {
	tests := []struct {
		name string
		pp   conversations.PartnerProgress
		want string
	}{
		{"no reviews", conversations.PartnerProgress{}, "Promises: no reviews yet"},
		{"both views", conversations.PartnerProgress{
			OwnView:   conversations.Tally{Kept: 4, Partly: 1, Reviews: 6},
			OtherView: conversations.Tally{Kept: 4, Reviews: 6},
		}, "Kept, as they saw it: 4 of 6 (1 partly)  ·  as Sam saw it: 4 of 6"},
		{"own view only", conversations.PartnerProgress{
			OwnView: conversations.Tally{Kept: 1, Reviews: 1},
		}, "Kept, as they saw it: 1 of 1  ·  as Sam saw it: no reviews yet"},
	}
	for _, tt := range tests {
		if got := followThroughCaption(tt.pp, "Sam"); got != tt.want {
			t.Errorf("%s: caption = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestChartNamesFitTheFont(t *testing.T) {
	var p conversations.Progress
	p.Partners[0].Partner.Name = "Sam 🌻"
	p.Partners[1].Partner.Name = "🌻"
	if got := chartNames(p); got != [2]string{"Sam", "Partner 2"} {
		t.Errorf("names = %q", got)
	}
	p.Partners[0].Partner.Name = "Alexandria Montgomery-Wellington"
	if got := chartNames(p)[0]; got != "Alexandria Montgo…" {
		t.Errorf("long name = %q", got)
	}
}

func BenchmarkProgressChart52Weeks(b *testing.B) {
	p := chartProgress(52)
	for b.Loop() {
		if _, err := progressChart(p); err != nil {
			b.Fatal(err)
		}
	}
}
