package ui

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Long documents are shown as lists of visual lines: the text is wrapped
// here, to the width of the view, so that every row of a widget.List has the
// same height and only the visible rows are ever built. This keeps a 500 KB
// document as fast to scroll as a short one.

// spanStyle says how a piece of text is drawn.
type spanStyle uint8

const (
	stylePlain spanStyle = iota
	styleInsert
	styleDelete
	styleMarkInsert // the {+ +} marks around an insertion
	styleMarkDelete // the [- -] marks around a deletion
	styleFindingError
	styleFindingWarning
	styleFindingInfo
	styleMuted
)

// span is a run of text in one style.
type span struct {
	text  string
	style spanStyle
}

// visualLine is one row of a text list: the spans that fit the width, and
// the index of the source paragraph (or alignment row) it belongs to.
type visualLine struct {
	spans  []span
	source int
}

// measurer measures rune widths at the theme's text size, caching per rune.
type measurer struct {
	size  float32
	bold  map[rune]float32
	plain map[rune]float32
}

func newMeasurer() *measurer {
	return &measurer{size: theme.TextSize(), bold: map[rune]float32{}, plain: map[rune]float32{}}
}

func (m *measurer) width(r rune, s spanStyle) float32 {
	cache, style := m.plain, fyne.TextStyle{}
	if s == styleInsert || s == styleMarkInsert {
		cache, style = m.bold, fyne.TextStyle{Bold: true}
	}
	if w, ok := cache[r]; ok {
		return w
	}
	w := fyne.MeasureText(string(r), m.size, style).Width
	cache[r] = w
	return w
}

// wrap cuts one paragraph's spans into visual lines no wider than width.
// CJK text breaks anywhere; Latin words are kept whole where they fit.
func (m *measurer) wrap(spans []span, width float32, source int) []visualLine {
	if width < m.size*4 {
		width = m.size * 4
	}
	var lines []visualLine
	var cur []span
	var curW float32
	var piece strings.Builder
	pieceStyle := stylePlain
	flush := func() {
		if piece.Len() > 0 {
			cur = append(cur, span{text: piece.String(), style: pieceStyle})
			piece.Reset()
		}
	}
	newline := func() {
		flush()
		lines = append(lines, visualLine{spans: cur, source: source})
		cur, curW = nil, 0
	}
	for _, sp := range spans {
		pieceStyle = sp.style
		for _, r := range sp.text {
			if r == '\t' {
				r = ' '
			}
			w := m.width(r, sp.style)
			if curW+w > width && (curW > 0 || piece.Len() > 0) && !noLineStart(r) {
				newline()
				pieceStyle = sp.style
			}
			piece.WriteRune(r)
			curW += w
		}
		flush()
	}
	if len(cur) > 0 || len(lines) == 0 {
		newline()
	}
	return lines
}

// noLineStart reports whether r may not begin a line (closing punctuation,
// 避头点): it stays at the end of the line before, a little past the width.
func noLineStart(r rune) bool {
	switch r {
	case '。', '，', '、', '；', '：', '？', '！', '）', '》', '〉', '」', '』', '”', '’', '】', '〕', '…', '—', '.', ',', ';', ':', '?', '!', ')':
		return true
	}
	return false
}

// richSegments turns spans into RichText segments (for short texts such as the legend).
func richSegments(spans []span) []widget.RichTextSegment {
	segs := make([]widget.RichTextSegment, 0, len(spans))
	for _, sp := range spans {
		name, style := spanLook(sp.style)
		segs = append(segs, &widget.TextSegment{Text: sp.text, Style: widget.RichTextStyle{Inline: true, ColorName: name, TextStyle: style}})
	}
	return segs
}

// lineList is a widget.List of visual lines that rewraps when its width changes.
type lineList struct {
	widget.BaseWidget
	list  *widget.List
	meas  *measurer
	width float32

	// paragraphs are the source units; lines their wrapped form.
	paragraphs [][]span
	lines      []visualLine
	firstLine  []int // paragraph index → index of its first visual line
}

func newLineList() *lineList {
	l := &lineList{meas: newMeasurer()}
	l.list = widget.NewList(
		func() int { return len(l.lines) },
		func() fyne.CanvasObject { return newSpanRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(l.lines) {
				o.(*spanRow).setSpans(l.lines[id].spans)
			}
		},
	)
	l.list.HideSeparators = true
	l.ExtendBaseWidget(l)
	return l
}

// setParagraphs replaces the text.
func (l *lineList) setParagraphs(ps [][]span) {
	l.paragraphs = ps
	l.rewrap()
	l.list.ScrollToTop()
}

func (l *lineList) rewrap() {
	width := l.width - 2*theme.InnerPadding() - theme.ScrollBarSize() - theme.Padding()
	l.lines = l.lines[:0]
	l.firstLine = l.firstLine[:0]
	for i, p := range l.paragraphs {
		l.firstLine = append(l.firstLine, len(l.lines))
		l.lines = append(l.lines, l.meas.wrap(p, width, i)...)
	}
	l.list.UnselectAll()
	l.list.Refresh()
}

// scrollToParagraph brings paragraph i to the top of the view.
func (l *lineList) scrollToParagraph(i int) {
	if i >= 0 && i < len(l.firstLine) {
		l.list.ScrollTo(l.firstLine[i])
		l.list.Select(l.firstLine[i])
	}
}

// text returns the whole text shown, lines joined by newlines (for tests and copying).
func (l *lineList) text() string {
	var b strings.Builder
	for i, ln := range l.lines {
		if i > 0 && ln.source != l.lines[i-1].source {
			b.WriteByte('\n')
		}
		for _, sp := range ln.spans {
			b.WriteString(sp.text)
		}
	}
	return b.String()
}

func (l *lineList) Resize(s fyne.Size) {
	changed := s.Width != l.width
	l.width = s.Width
	l.BaseWidget.Resize(s)
	if changed {
		l.rewrap()
	}
}

func (l *lineList) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.list)
}

// plainParagraphs splits text into paragraphs of plain spans.
func plainParagraphs(text string) [][]span {
	var out [][]span
	for _, p := range strings.Split(text, "\n") {
		out = append(out, []span{{text: p}})
	}
	return out
}

// runeSlice returns runes [start, end) of s, clamped.
func runeSlice(s string, start, end int) string {
	n := utf8.RuneCountInString(s)
	start, end = max(0, min(start, n)), max(0, min(end, n))
	if start >= end {
		return ""
	}
	r := []rune(s)
	return string(r[start:end])
}
