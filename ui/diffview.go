package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sanshen/review"
	"sanshen/review/textdiff"
)

// diffView shows what changed between two versions of the item: against the
// previous version by default, or against a version an earlier stage
// approved; inline or side by side; with next and previous change.
type diffView struct {
	m       *MainWindow
	content fyne.CanvasObject

	base    *widget.Select
	mode    *widget.RadioGroup
	summary *widget.Label
	inline  *lineList
	side    *pairList
	stack   *fyne.Container

	itemID  string
	current int // version number shown on the right
	bases   []baseChoice
	result  *textdiff.Result
	changes []textdiff.Change
	// inlinePara[k] is the inline paragraph where segment k begins.
	inlinePara []int
	at         int // index of the change in view, -1 before the first
	gen        int // generation of the last request, to drop stale results
}

// baseChoice is a version to compare the current one against.
type baseChoice struct {
	label   string
	version int
}

func newDiffView(m *MainWindow) *diffView {
	d := &diffView{m: m, inline: newLineList(), side: newPairList(), summary: widget.NewLabel(""), at: -1}
	d.summary.Wrapping = fyne.TextWrapWord
	d.base = widget.NewSelect(nil, func(string) { d.recompute() })
	d.base.PlaceHolder = tr("diff.base.none", "No earlier version")
	inlineLabel, sideLabel := tr("diff.inline", "Inline"), tr("diff.side", "Side by side")
	d.mode = widget.NewRadioGroup([]string{inlineLabel, sideLabel}, func(s string) {
		if s == sideLabel {
			d.inline.Hide()
			d.side.Show()
		} else {
			d.side.Hide()
			d.inline.Show()
		}
		d.jump(0)
	})
	d.mode.Horizontal = true
	d.mode.Required = true
	prev := widget.NewButtonWithIcon(tr("diff.prev", "Previous change (p)"), theme.MoveUpIcon(), func() { d.jump(-1) })
	next := widget.NewButtonWithIcon(tr("diff.next", "Next change (n)"), theme.MoveDownIcon(), func() { d.jump(+1) })
	legend := widget.NewRichText(richSegments([]span{
		{text: tr("diff.legend", "Marks: "), style: styleMuted},
		{text: "{+", style: styleMarkInsert}, {text: tr("diff.inserted", "inserted"), style: styleInsert}, {text: "+}", style: styleMarkInsert},
		{text: "  "},
		{text: "[-", style: styleMarkDelete}, {text: tr("diff.deleted", "deleted"), style: styleDelete}, {text: "-]", style: styleMarkDelete},
	})...)
	bar := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel(tr("diff.against", "Compare with")), nil, d.base),
		container.NewHBox(d.mode, prev, next),
		legend, d.summary,
	)
	d.side.Hide()
	d.stack = container.NewStack(d.inline, d.side)
	d.content = container.NewBorder(bar, nil, nil, nil, d.stack)
	d.mode.SetSelected(inlineLabel)
	return d
}

// setItem offers the bases of an item and shows the diff against the
// previous version (or, for version 1, nothing to compare). When the item
// reloads with the stage and version on screen (same, after a sync), the
// base the reviewer chose stays, and an unchanged diff is not computed again.
func (d *diffView) setItem(it review.Item, same bool) {
	cur, _ := it.Current()
	chosen := d.base.Selected
	d.itemID, d.current = it.ID, cur.Number
	d.bases = nil
	if cur.Number > 1 {
		d.bases = append(d.bases, baseChoice{label: tr("diff.base.previous", "Previous version (v{{.N}})", map[string]any{"N": cur.Number - 1}), version: cur.Number - 1})
	}
	for _, a := range it.Approvals {
		if a.Version < cur.Number {
			d.bases = append(d.bases, baseChoice{
				label:   tr("diff.base.approved", "v{{.N}}, approved at {{.S}} by {{.U}}", map[string]any{"N": a.Version, "S": stageText(a.Stage), "U": a.User}),
				version: a.Version,
			})
		}
	}
	for n := cur.Number - 2; n >= 1; n-- {
		d.bases = append(d.bases, baseChoice{label: tr("diff.base.version", "Version {{.N}}", map[string]any{"N": n}), version: n})
	}
	labels := make([]string, len(d.bases))
	for i, b := range d.bases {
		labels[i] = b.label
	}
	if same && slices.Equal(labels, d.base.Options) && chosen != "" && d.result != nil {
		return
	}
	d.base.Options = labels
	d.base.ClearSelected()
	if len(labels) == 0 {
		d.base.Disable()
		d.result, d.changes = nil, nil
		d.summary.SetText(tr("diff.only", "This is the first version: there is nothing to compare yet."))
		d.inline.setParagraphs(nil)
		d.side.setRows(nil)
		return
	}
	d.base.Enable()
	i := 0
	if same {
		i = max(0, slices.Index(labels, chosen))
	}
	d.base.SetSelectedIndex(i) // triggers recompute
}

// recompute fetches both bodies and diffs them off the main goroutine.
func (d *diffView) recompute() {
	i := d.base.SelectedIndex()
	if i < 0 || i >= len(d.bases) || d.itemID == "" {
		return
	}
	d.gen++
	gen, id, from, to, be := d.gen, d.itemID, d.bases[i].version, d.current, d.m.be
	d.summary.SetText(tr("diff.working", "Comparing…"))
	background(func() {
		res, err := diffBodies(context.Background(), be, id, from, to)
		fyne.Do(func() {
			switch {
			case gen != d.gen:
			case err != nil:
				d.result = nil // a reload tries again
				d.summary.SetText(errorText(err))
			default:
				d.show(res)
			}
		})
	})
}

// diffBodies diffs the text a reviewer reads of two versions of an item.
func diffBodies(ctx context.Context, be Backend, id string, from, to int) (*textdiff.Result, error) {
	oldB, err := be.Body(ctx, id, from)
	if err != nil {
		return nil, err
	}
	newB, err := be.Body(ctx, id, to)
	if err != nil {
		return nil, err
	}
	return textdiff.Diff(ctx, displayText(oldB.Body, oldB.ContentType), displayText(newB.Body, newB.ContentType), textdiff.Options{}), nil
}

// show displays a diff result in both modes.
func (d *diffView) show(res *textdiff.Result) {
	d.result = res
	rows, changes := res.Aligned()
	d.changes = changes
	d.at = -1
	st := res.Stats
	sum := tr("diff.stats", "{{.I}} characters inserted, {{.D}} deleted; paragraphs: {{.C}} changed, {{.PI}} inserted, {{.PD}} deleted, {{.M}} moved; {{.N}} changes",
		map[string]any{"I": st.RunesInserted, "D": st.RunesDeleted, "C": st.ParagraphsChanged, "PI": st.ParagraphsInserted,
			"PD": st.ParagraphsDeleted, "M": st.ParagraphsMoved, "N": len(d.changes)})
	if res.Identical() {
		sum = tr("diff.identical", "The two versions are identical.")
	}
	if res.Degraded {
		sum += " " + tr("diff.degraded", "(Large change: parts are compared by sentence or paragraph.)")
	}
	d.summary.SetText(sum)
	paras, paraOf := inlineParagraphs(res.Segments)
	d.inlinePara = paraOf
	d.inline.setParagraphs(paras)
	d.side.setRows(rows)
}

// jump moves to the next (+1) or previous (-1) change; 0 re-shows the current.
func (d *diffView) jump(delta int) {
	if len(d.changes) == 0 || delta == 0 && d.at < 0 {
		return
	}
	d.at = max(0, min(d.at+delta, len(d.changes)-1))
	c := d.changes[d.at]
	if d.side.Visible() {
		d.side.scrollToRow(c.Row)
	} else if c.Segment < len(d.inlinePara) {
		d.inline.scrollToParagraph(d.inlinePara[c.Segment])
	}
	d.summary.Refresh()
}

// inlineParagraphs turns diff segments into paragraphs of styled spans, with
// {+ +} and [- -] marks so that changes read without colour. paraOf[k] is the
// paragraph where segment k begins.
func inlineParagraphs(segs []textdiff.Segment) (paras [][]span, paraOf []int) {
	var cur []span
	paraOf = make([]int, len(segs))
	for k, s := range segs {
		paraOf[k] = len(paras)
		style, mark, open, closing := stylePlain, stylePlain, "", ""
		switch s.Op {
		case textdiff.OpInsert:
			style, mark, open, closing = styleInsert, styleMarkInsert, "{+", "+}"
		case textdiff.OpDelete:
			style, mark, open, closing = styleDelete, styleMarkDelete, "[-", "-]"
		}
		for i, ln := range strings.Split(s.Text, "\n") {
			if i > 0 {
				if s.Op != textdiff.OpEqual {
					cur = append(cur, span{open + "¶" + closing, mark})
				}
				paras = append(paras, cur)
				cur = nil
			}
			switch {
			case ln == "":
			case s.Op == textdiff.OpEqual:
				cur = append(cur, span{text: ln})
			default:
				cur = append(cur, span{open, mark}, span{ln, style}, span{closing, mark})
			}
		}
	}
	paras = append(paras, cur)
	return paras, paraOf
}

// sideSpans styles one side of a side-by-side row.
func sideSpans(l *textdiff.Line) []span {
	if l == nil {
		return nil
	}
	var out []span
	for _, s := range l.Segments {
		switch s.Op {
		case textdiff.OpInsert:
			out = append(out, span{"{+", styleMarkInsert}, span{s.Text, styleInsert}, span{"+}", styleMarkInsert})
		case textdiff.OpDelete:
			out = append(out, span{"[-", styleMarkDelete}, span{s.Text, styleDelete}, span{"-]", styleMarkDelete})
		default:
			out = append(out, span{text: s.Text})
		}
	}
	switch l.Break {
	case textdiff.OpInsert:
		out = append(out, span{"{+¶+}", styleMarkInsert})
	case textdiff.OpDelete:
		out = append(out, span{"[-¶-]", styleMarkDelete})
	}
	return out
}

// pairList is a two-column list of visual lines for the side-by-side view.
type pairList struct {
	widget.BaseWidget
	list     *widget.List
	meas     *measurer
	width    float32
	rows     []textdiff.Row
	lines    [][2]visualLine
	firstRow []int // alignment row → first visual line
}

func newPairList() *pairList {
	p := &pairList{meas: newMeasurer()}
	p.list = widget.NewList(
		func() int { return len(p.lines) },
		func() fyne.CanvasObject { return container.NewGridWithColumns(2, newSpanRow(), newSpanRow()) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(p.lines) {
				return
			}
			c := o.(*fyne.Container)
			for side := 0; side < 2; side++ {
				c.Objects[side].(*spanRow).setSpans(p.lines[id][side].spans)
			}
		},
	)
	p.list.HideSeparators = true
	p.ExtendBaseWidget(p)
	return p
}

func (p *pairList) setRows(rows []textdiff.Row) {
	p.rows = rows
	p.rewrap()
	p.list.ScrollToTop()
}

func (p *pairList) rewrap() {
	half := (p.width-theme.ScrollBarSize()-theme.Padding())/2 - 2*theme.InnerPadding()
	p.lines = p.lines[:0]
	p.firstRow = p.firstRow[:0]
	for i, r := range p.rows {
		p.firstRow = append(p.firstRow, len(p.lines))
		var left, right []visualLine
		if r.Left != nil {
			left = p.meas.wrap(sideSpans(r.Left), half, i)
		}
		if r.Right != nil {
			right = p.meas.wrap(sideSpans(r.Right), half, i)
		}
		for k := 0; k < max(len(left), len(right), 1); k++ {
			var pair [2]visualLine
			if k < len(left) {
				pair[0] = left[k]
			} else if r.Left == nil && k == 0 {
				pair[0] = visualLine{spans: []span{{text: "—", style: styleMuted}}}
			}
			if k < len(right) {
				pair[1] = right[k]
			} else if r.Right == nil && k == 0 {
				pair[1] = visualLine{spans: []span{{text: "—", style: styleMuted}}}
			}
			p.lines = append(p.lines, pair)
		}
	}
	p.list.UnselectAll()
	p.list.Refresh()
}

func (p *pairList) scrollToRow(i int) {
	if i >= 0 && i < len(p.firstRow) {
		p.list.ScrollTo(p.firstRow[i])
		p.list.Select(p.firstRow[i])
	}
}

func (p *pairList) Resize(s fyne.Size) {
	changed := s.Width != p.width
	p.width = s.Width
	p.BaseWidget.Resize(s)
	if changed {
		p.rewrap()
	}
}

func (p *pairList) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.list) }

// describe returns the text of the side-by-side view, for tests: one line
// per alignment row (its wrapped lines joined), columns split by " | ".
func (p *pairList) describe() string {
	var b strings.Builder
	for i := range p.rows {
		end := len(p.lines)
		if i+1 < len(p.firstRow) {
			end = p.firstRow[i+1]
		}
		for side := 0; side < 2; side++ {
			if side == 1 {
				b.WriteString(" | ")
			}
			for _, pr := range p.lines[p.firstRow[i]:end] {
				for _, sp := range pr[side].spans {
					b.WriteString(sp.text)
				}
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
