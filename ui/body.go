package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sanshen/review"
)

// bodyView shows the text of the current version with pre-check findings
// highlighted, and the findings listed under their check; choosing a finding
// scrolls the text to it.
type bodyView struct {
	content  fyne.CanvasObject
	lines    *lineList
	list     *widget.List
	header   *widget.Label
	findings []Finding
	// paraStart[i] is the rune offset where paragraph i begins.
	paraStart []int
}

func newBodyView() *bodyView {
	b := &bodyView{lines: newLineList(), header: widget.NewLabel("")}
	b.list = widget.NewList(
		func() int { return len(b.findings) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(b.findings) {
				o.(*widget.Label).SetText(findingLine(b.findings[id]))
			}
		},
	)
	b.list.OnSelected = func(id widget.ListItemID) {
		if id < len(b.findings) {
			b.lines.scrollToParagraph(b.paragraphOf(b.findings[id].Start))
		}
	}
	bottom := container.NewBorder(b.header, nil, nil, nil, b.list)
	split := container.NewVSplit(b.lines, bottom)
	split.Offset = 0.75
	b.content = split
	return b
}

func findingLine(f Finding) string {
	s := fmt.Sprintf("[%s] %s · %s", checkText(f.Check), severityText(f.Severity), f.Message)
	if f.Suggestion != "" {
		s += " · " + tr("finding.suggest", "Suggestion: {{.S}}", map[string]any{"S": f.Suggestion})
	}
	return s
}

// set shows text with its findings (rune ranges into text).
func (b *bodyView) set(text string, findings []Finding) {
	fs := slices.Clone(findings)
	order := map[review.Check]int{}
	for i, c := range review.Checks {
		order[c] = i
	}
	sort.SliceStable(fs, func(i, j int) bool {
		if order[fs[i].Check] != order[fs[j].Check] {
			return order[fs[i].Check] < order[fs[j].Check]
		}
		return fs[i].Start < fs[j].Start
	})
	b.findings = fs
	if len(fs) == 0 {
		b.header.SetText(tr("findings.none", "No pre-check hints."))
	} else {
		b.header.SetText(tr("findings.count", "{{.N}} pre-check hints (hints only: you decide)", map[string]any{"N": len(fs)}))
	}
	b.list.UnselectAll()
	b.list.Refresh()
	ps, starts := highlightParagraphs(text, fs)
	b.paraStart = starts
	b.lines.setParagraphs(ps)
}

func (b *bodyView) paragraphOf(runeOffset int) int {
	i := sort.SearchInts(b.paraStart, runeOffset+1) - 1
	return max(i, 0)
}

// highlightParagraphs splits text into paragraphs and styles the runes that
// findings cover (the most severe wins). It returns each paragraph's first
// rune offset too.
func highlightParagraphs(text string, findings []Finding) ([][]span, []int) {
	runes := []rune(text)
	styles := make([]spanStyle, len(runes))
	rank := map[string]spanStyle{"error": styleFindingError, "warning": styleFindingWarning}
	for _, f := range findings {
		st, ok := rank[f.Severity]
		if !ok {
			st = styleFindingInfo
		}
		for i := max(f.Start, 0); i < min(f.End, len(runes)); i++ {
			if styles[i] == stylePlain || severityOrder(st) < severityOrder(styles[i]) {
				styles[i] = st
			}
		}
	}
	var paras [][]span
	var starts []int
	start := 0
	for i := 0; i <= len(runes); i++ {
		if i < len(runes) && runes[i] != '\n' {
			continue
		}
		starts = append(starts, start)
		var p []span
		var b strings.Builder
		cur := stylePlain
		for j := start; j < i; j++ {
			if styles[j] != cur && b.Len() > 0 {
				p = append(p, span{text: b.String(), style: cur})
				b.Reset()
			}
			cur = styles[j]
			b.WriteRune(runes[j])
		}
		if b.Len() > 0 || len(p) == 0 {
			p = append(p, span{text: b.String(), style: cur})
		}
		paras = append(paras, p)
		start = i + 1
	}
	return paras, starts
}

func severityOrder(s spanStyle) int {
	switch s {
	case styleFindingError:
		return 0
	case styleFindingWarning:
		return 1
	}
	return 2
}
