package bot

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"
	"unicode"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	plottext "gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"mend/conversations"
)

// The chart is drawn at 72 DPI, so one vg point is one pixel and every length
// below reads as pixels. Discord shows embed images at less than half this
// width, which is why the text is large.
const (
	chartWidth  = 1000
	chartHeight = 500
	chartDPI    = 72

	// chartHeaderHeight is the band at the top holding the title and the
	// legend; the plot is drawn below it.
	chartHeaderHeight = 150
	chartMargin       = 28
	chartTickSize     = 20
)

// The chart is a light card on either Discord theme: an opaque warm background
// with dark text reads on the dark theme as well as on the light one, where a
// transparent image would inherit a background it was not drawn for.
var (
	chartBackground = color.RGBA{R: 0xFB, G: 0xF7, B: 0xF0, A: 0xFF}
	chartBorder     = color.RGBA{R: 0xE2, G: 0xD8, B: 0xCA, A: 0xFF}
	chartInk        = color.RGBA{R: 0x2B, G: 0x26, B: 0x22, A: 0xFF}
	chartMutedInk   = color.RGBA{R: 0x5E, G: 0x56, B: 0x50, A: 0xFF}
	chartGrid       = color.RGBA{R: 0xE8, G: 0xE0, B: 0xD4, A: 0xFF}
	chartAxis       = color.RGBA{R: 0xB5, G: 0xAA, B: 0x9C, A: 0xFF}

	// partnerColors are the Okabe–Ito blue and vermillion, which stay apart
	// for the common kinds of colour blindness; the marker shapes differ too.
	partnerColors = [2]color.RGBA{
		{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF},
		{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF},
	}
)

// Partners often give the same answer on the same day. The first partner's
// line and markers are drawn wider and larger, the second's on top of them, so
// where the two coincide both stay visible: a blue rim around an orange core.
type partnerStyle struct {
	lineWidth, radius, halo vg.Length
	shape                   draw.GlyphDrawer
}

var partnerStyles = [2]partnerStyle{
	{lineWidth: 6, radius: 9, halo: 2.5, shape: draw.CircleGlyph{}},
	{lineWidth: 3, radius: 6, halo: 1.5, shape: draw.BoxGlyph{}},
}

// denseStyles are for many check-ins, where full-size markers would run into
// each other: half a year of weekly points is 35 pixels apart, a year 17.
var denseStyles = [2]partnerStyle{
	{lineWidth: 4, radius: 6.5, halo: 1.5, shape: draw.CircleGlyph{}},
	{lineWidth: 2, radius: 4, halo: 0.75, shape: draw.BoxGlyph{}},
}

const denseCheckIns = 20

const (
	chartNameRunes  = 18 // Discord names can be 32 characters; the legend has room for fewer.
	chartDaySeconds = 24 * 60 * 60
)

var (
	chartSans = font.Font{Typeface: "Liberation", Variant: "Sans"}
	chartBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

func chartText(f font.Font, size vg.Length, c color.Color) plottext.Style {
	return plottext.Style{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
}

// progressChart draws the couple's trust scale over time as a PNG card, with
// each partner's follow-through under the title.
func progressChart(p conversations.Progress) ([]byte, error) {
	canvas := vgimg.NewWith(
		vgimg.UseWH(chartWidth, chartHeight),
		vgimg.UseDPI(chartDPI),
		vgimg.UseBackgroundColor(chartBackground),
	)
	dc := draw.New(canvas)

	// A thin frame keeps the card's edge visible on Discord's light theme.
	dc.StrokeLines(draw.LineStyle{Color: chartBorder, Width: 2}, []vg.Point{
		{X: 1, Y: 1}, {X: chartWidth - 1, Y: 1}, {X: chartWidth - 1, Y: chartHeight - 1}, {X: 1, Y: chartHeight - 1}, {X: 1, Y: 1},
	})

	names := chartNames(p)
	lines, marks := partnerPlotters(p)
	drawHeader(draw.Crop(dc, chartMargin, -chartMargin, chartHeight-chartHeaderHeight, -22), p, names, lines, marks)

	trustPlot(p, lines, marks).Draw(draw.Crop(dc, chartMargin-8, -chartMargin, 14, -chartHeaderHeight))

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encode progress chart: %w", err)
	}
	return buf.Bytes(), nil
}

// partnerPlotters returns each partner's line and markers in chart
// coordinates: x in days, y on the scale.
func partnerPlotters(p conversations.Progress) (lines [2]*plotter.Line, marks [2]*plotter.Scatter) {
	loc := chartLocation(p.Couple.TimeZone)
	styles := partnerStyles
	if max(len(p.Partners[0].Trust), len(p.Partners[1].Trust)) > denseCheckIns {
		styles = denseStyles
	}
	for i, pp := range p.Partners {
		xys := make(plotter.XYs, len(pp.Trust))
		for j, tp := range pp.Trust {
			xys[j] = plotter.XY{X: chartDay(tp.At, loc), Y: float64(tp.Value)}
		}
		st := styles[i]
		lines[i] = &plotter.Line{XYs: xys, LineStyle: draw.LineStyle{Color: partnerColors[i], Width: st.lineWidth}}
		marks[i] = &plotter.Scatter{XYs: xys, GlyphStyle: draw.GlyphStyle{
			Color:  partnerColors[i],
			Radius: st.radius,
			Shape:  haloGlyph{shape: st.shape, halo: st.halo},
		}}
	}
	return lines, marks
}

// trustPlot is the plot below the header: the 1..5 scale over days.
func trustPlot(p conversations.Progress, lines [2]*plotter.Line, marks [2]*plotter.Scatter) *plot.Plot {
	pl := plot.New()
	pl.BackgroundColor = nil // the card's background shows through

	tick := chartText(chartSans, chartTickSize, chartMutedInk)
	pl.Y.Tick.Marker = scaleTicks()
	pl.Y.Tick.Label = tick
	pl.Y.Tick.Label.XAlign, pl.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	pl.Y.LineStyle.Color = color.Transparent
	pl.Y.Tick.LineStyle.Color = color.Transparent
	pl.Y.Padding = 10

	pl.X.Tick.Label = tick
	pl.X.Tick.Label.XAlign = draw.XCenter
	pl.X.LineStyle = draw.LineStyle{Color: chartAxis, Width: 1.5}
	pl.X.Tick.LineStyle = draw.LineStyle{Color: chartAxis, Width: 1.5}
	pl.X.Tick.Length = 6
	pl.X.Padding = 0 // the axis is the scale's 1

	pl.Add(&plotter.Grid{Horizontal: draw.LineStyle{Color: chartGrid, Width: 1.5}})
	hasData := false
	for i := range lines {
		if len(lines[i].XYs) > 0 {
			pl.Add(lines[i], marks[i])
			hasData = true
		}
	}

	first, last, ok := dayRange(lines, p)
	if ok {
		// Ticks fall on the first day shown, so with weekly steps they mark
		// the weekday the couple checks in.
		anchor := first
		if last-first < 1 {
			// One day of data: a few days either side, so the point sits in
			// the middle of a real stretch of time, not on a zero-width axis.
			first, last = first-3.5, last+3.5
		} else {
			// Room at both ends so the first and last date labels stay
			// clear of the scale's numbers and the card's edge.
			pad := math.Max(1, (last-first)*0.05)
			first, last = first-pad, last+pad
		}
		pl.X.Min, pl.X.Max = first, last
		pl.X.Tick.Marker = plot.ConstantTicks(dayTicks(first, last, anchor, chartWidth-2*chartMargin-70, tick))
	} else {
		pl.X.Min, pl.X.Max = 0, 1
		pl.X.Tick.Marker = plot.ConstantTicks(nil)
	}
	pl.Y.Min, pl.Y.Max = conversations.ScaleMin, conversations.ScaleMax

	if !hasData {
		pl.Add(chartNote{
			title:  "No check-ins shown together yet",
			detail: "Each check-in you reveal together adds a point here.",
		})
	}
	return pl
}

// dayRange is the span of days the x axis covers: the check-ins drawn, or with
// none, the span the progress was asked for.
func dayRange(lines [2]*plotter.Line, p conversations.Progress) (first, last float64, ok bool) {
	first, last = math.Inf(1), math.Inf(-1)
	for _, l := range lines {
		for _, xy := range l.XYs {
			first, last = math.Min(first, xy.X), math.Max(last, xy.X)
		}
	}
	if !math.IsInf(first, 0) {
		return first, last, true
	}
	if p.Since.IsZero() || !p.Until.After(p.Since) {
		return 0, 0, false
	}
	loc := chartLocation(p.Couple.TimeZone)
	return chartDay(p.Since, loc), chartDay(p.Until, loc), true
}

// chartDay is the calendar day of t in the couple's zone, in days since
// 1 January 1970. Check-ins are placed on their day, so weekly ticks land on
// them whatever the hour they opened.
func chartDay(t time.Time, loc *time.Location) float64 {
	y, m, d := t.In(loc).Date()
	return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / chartDaySeconds)
}

func dayDate(d float64) time.Time {
	return time.Unix(int64(math.Round(d))*chartDaySeconds, 0).UTC()
}

// chartLocation is the couple's zone; UTC if it cannot be loaded, since a
// chart a few hours off is better than none.
func chartLocation(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

func scaleTicks() plot.ConstantTicks {
	var ticks []plot.Tick
	for v := conversations.ScaleMin; v <= conversations.ScaleMax; v++ {
		ticks = append(ticks, plot.Tick{Value: float64(v), Label: fmt.Sprint(v)})
	}
	return ticks
}

// tickStep is a distance between date ticks: days anchored on the first day
// shown, or whole months starting on the 1st.
type tickStep struct {
	days, months int
}

var tickSteps = []tickStep{
	{days: 1}, {days: 2}, {days: 7}, {days: 14}, {days: 28},
	{months: 1}, {months: 2}, {months: 3}, {months: 6}, {months: 12},
}

// dayTicks chooses the smallest step whose labels keep clear of each other on
// an axis about width pixels wide, and labels each tick with a short date
// ("12 Mar"), adding the year where it matters. Steps of days count from the
// anchor day.
func dayTicks(first, last, anchor float64, width vg.Length, sty plottext.Style) []plot.Tick {
	span := last - first
	const gap = 28 // pixels between neighbouring labels
	var ticks []plot.Tick
	for _, step := range tickSteps {
		ticks = stepTicks(first, last, anchor, step)
		if len(ticks) < 2 { // nothing to keep apart; larger steps give no more
			return ticks
		}
		clear := true
		for i := 1; i < len(ticks); i++ {
			space := vg.Length((ticks[i].Value-ticks[i-1].Value)/span) * width
			need := (sty.Width(ticks[i].Label)+sty.Width(ticks[i-1].Label))/2 + gap
			if space < need {
				clear = false
				break
			}
		}
		if clear {
			return ticks
		}
	}
	return ticks
}

func stepTicks(first, last, anchor float64, step tickStep) []plot.Tick {
	var days []float64
	if step.days > 0 {
		n := float64(step.days)
		for d := anchor + math.Ceil((first-anchor)/n)*n; d <= last; d += n {
			days = append(days, d)
		}
	} else {
		t := dayDate(math.Ceil(first))
		m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		if m.Before(t) {
			m = m.AddDate(0, 1, 0)
		}
		// Align to the step so a 3-month step shows Jan, Apr, Jul, Oct.
		for (int(m.Month())-1)%step.months != 0 {
			m = m.AddDate(0, 1, 0)
		}
		for ; ; m = m.AddDate(0, step.months, 0) {
			d := float64(m.Unix() / chartDaySeconds)
			if d > last {
				break
			}
			days = append(days, d)
		}
	}
	// When the axis crosses New Year, the first tick and the first of each
	// new year carry the year.
	spansYears := len(days) > 0 && dayDate(days[0]).Year() != dayDate(days[len(days)-1]).Year()
	ticks := make([]plot.Tick, len(days))
	for i, d := range days {
		t := dayDate(d)
		label := t.Format("2 Jan")
		if (i > 0 && dayDate(days[i-1]).Year() != t.Year()) || (i == 0 && spansYears) {
			label = t.Format("2 Jan 2006")
		}
		ticks[i] = plot.Tick{Value: d, Label: label}
	}
	return ticks
}

// drawHeader draws the title and, for each partner, a legend row: their line
// and marker, their name, and their follow-through as each partner rated it.
func drawHeader(c draw.Canvas, p conversations.Progress, names [2]string, lines [2]*plotter.Line, marks [2]*plotter.Scatter) {
	title := chartText(chartBold, 30, chartInk)
	c.FillText(title, vg.Point{X: c.Min.X, Y: c.Max.Y}, "Closeness")

	sub := chartText(chartSans, 18, chartMutedInk)
	sub.XAlign = draw.XRight
	c.FillText(sub, vg.Point{X: c.Max.X, Y: c.Max.Y - 8}, fmt.Sprintf("Each partner's answer, %d to %d", conversations.ScaleMin, conversations.ScaleMax))

	name := chartText(chartBold, 20, chartInk)
	name.YAlign = draw.YCenter
	caption := chartText(chartSans, 20, chartMutedInk)
	caption.YAlign = draw.YCenter

	const thumbWidth, rowHeight = 44, 32
	nameX := c.Min.X + thumbWidth + 12
	captionX := nameX + max(name.Width(names[0]), name.Width(names[1])) + 22
	y := c.Max.Y - 48 - rowHeight/2
	for i := range p.Partners {
		thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: c.Min.X, Y: y - rowHeight/2},
			Max: vg.Point{X: c.Min.X + thumbWidth, Y: y + rowHeight/2},
		}}
		lines[i].Thumbnail(&thumb)
		marks[i].Thumbnail(&thumb)
		c.FillText(name, vg.Point{X: nameX, Y: y}, names[i])

		// Naming the other partner reads better; with long names there is
		// only room for "their partner".
		line := followThroughCaption(p.Partners[i], names[1-i])
		if captionX+caption.Width(line) > c.Max.X {
			line = followThroughCaption(p.Partners[i], "their partner")
		}
		c.FillText(caption, vg.Point{X: captionX, Y: y}, line)
		y -= rowHeight
	}
}

// chartNames are the partners' names as the chart can draw them: without
// characters the bundled font has no glyph for (emoji, most scripts beyond
// Latin, Greek and Cyrillic), shortened to fit the legend.
func chartNames(p conversations.Progress) [2]string {
	face := font.DefaultCache.Lookup(chartBold, 20).Face
	var buf sfnt.Buffer
	var names [2]string
	for i, pp := range p.Partners {
		var b strings.Builder
		for _, r := range pp.Partner.Name {
			if unicode.IsControl(r) {
				continue
			}
			if g, err := face.GlyphIndex(&buf, r); err != nil || (g == 0 && !unicode.IsSpace(r)) {
				continue
			}
			b.WriteRune(r)
		}
		name := strings.Join(strings.Fields(b.String()), " ")
		if name == "" {
			name = fmt.Sprintf("Partner %d", i+1)
		}
		if r := []rune(name); len(r) > chartNameRunes {
			name = strings.TrimSpace(string(r[:chartNameRunes-1])) + "…"
		}
		names[i] = name
	}
	return names
}

// haloGlyph draws a marker on a slightly larger copy of itself in the
// background colour, so markers stand clear of the lines that run into them.
type haloGlyph struct {
	shape draw.GlyphDrawer
	halo  vg.Length
}

func (g haloGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	under := sty
	under.Color = chartBackground
	under.Radius += g.halo
	c.SetColor(under.Color)
	g.shape.DrawGlyph(c, under, pt)
	c.SetColor(sty.Color)
	g.shape.DrawGlyph(c, sty, pt)
}

// chartNote is the message drawn in the middle of an empty plot.
type chartNote struct {
	title, detail string
}

func (n chartNote) Plot(c draw.Canvas, _ *plot.Plot) {
	title := chartText(chartBold, 24, chartInk)
	title.XAlign, title.YAlign = draw.XCenter, draw.YBottom
	detail := chartText(chartSans, 19, chartMutedInk)
	detail.XAlign = draw.XCenter
	mid := c.Center()
	c.FillText(title, vg.Point{X: mid.X, Y: mid.Y + 6}, n.title)
	c.FillText(detail, vg.Point{X: mid.X, Y: mid.Y - 4}, n.detail)
}
