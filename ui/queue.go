package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"sanshen/client"
	"sanshen/review"
)

// queuePane is the list of items waiting for the reviewer, with filters.
type queuePane struct {
	m       *MainWindow
	content fyne.CanvasObject

	all      []client.QueueEntry
	shown    []client.QueueEntry // after filters
	findings map[string]int      // findingKey → number of pre-check findings of that version
	scanning bool                // a scanFindings pass is running

	list    *widget.List
	stage   *widget.Select
	column  *widget.Select
	dept    *widget.Select
	search  *searchEntry
	counts  *widget.Label
	empty   *widget.Label
	selID   string
	loading bool
}

const filterAll = "*"

func newQueuePane(m *MainWindow) *queuePane {
	q := &queuePane{m: m, findings: map[string]int{}}
	q.list = widget.NewList(
		func() int { return len(q.shown) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			title.Truncation = fyne.TextTruncateEllipsis
			meta := widget.NewLabel("")
			meta.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(title, meta)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(q.shown) {
				return
			}
			e := q.shown[id]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(q.rowTitle(e))
			box.Objects[1].(*widget.Label).SetText(q.rowMeta(e))
		},
	)
	q.list.OnSelected = func(id widget.ListItemID) {
		if id < len(q.shown) {
			q.selID = q.shown[id].ID
			// applyFilters selects the same item again after every reload
			// and keystroke in the search box: that needs no new load (a
			// sync or a decision reloads the item itself, reloadIfShown).
			if q.selID != m.item.id {
				m.item.show(q.selID)
			}
		}
	}
	q.stage = widget.NewSelect(nil, func(string) { q.applyFilters() })
	q.column = widget.NewSelect(nil, func(string) { q.applyFilters() })
	q.dept = widget.NewSelect(nil, func(string) { q.applyFilters() })
	for _, s := range []*widget.Select{q.stage, q.column, q.dept} {
		s.PlaceHolder = tr("filter.all", "All")
	}
	q.search = newSearchEntry(q.chooseFirst, m.focusList)
	q.search.SetPlaceHolder(tr("filter.search", "Search title, column, department"))
	q.search.OnChanged = func(string) { q.applyFilters() }
	q.counts = widget.NewLabel("")
	q.counts.Wrapping = fyne.TextWrapWord
	q.empty = widget.NewLabel(tr("queue.empty", "Nothing waiting for you."))
	q.empty.Hide()

	filters := container.New(layout.NewFormLayout(),
		widget.NewLabel(tr("filter.stage", "Stage")), q.stage,
		widget.NewLabel(tr("filter.column", "Column")), q.column,
		widget.NewLabel(tr("filter.department", "Department")), q.dept,
	)
	head := container.NewVBox(
		widget.NewLabelWithStyle(tr("queue.title", "Waiting for review"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		q.search, filters, q.counts,
	)
	q.content = container.NewBorder(head, nil, nil, nil, container.NewStack(q.list, q.empty))
	return q
}

func (q *queuePane) rowTitle(e client.QueueEntry) string {
	var marks []string
	switch e.Outbox {
	case client.OutboxPending:
		marks = append(marks, "◎"+tr("mark.pending", "queued"))
	case client.OutboxConflict:
		marks = append(marks, "⚠"+tr("mark.conflict", "conflict"))
	case client.OutboxRejected:
		marks = append(marks, "×"+tr("mark.rejected", "refused"))
	case client.OutboxSent:
		marks = append(marks, "√"+tr("mark.sent", "sent"))
	}
	if e.Draft {
		marks = append(marks, "△"+tr("mark.draft", "draft"))
	}
	if n := q.findings[findingKey(e)]; n > 0 {
		marks = append(marks, fmt.Sprintf("▲%d", n))
	}
	if len(marks) == 0 {
		return e.Title
	}
	return strings.Join(marks, " ") + "  " + e.Title
}

func (q *queuePane) rowMeta(e client.QueueEntry) string {
	parts := []string{stageText(e.Stage), e.Column, e.Department, ageText(q.m.now().Sub(e.UpdatedAt))}
	if !e.Cached {
		parts = append(parts, tr("mark.notcached", "not cached"))
	}
	return strings.Join(parts, " · ")
}

// ageText says how long ago something happened, coarsely.
func ageText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return tr("age.now", "just now")
	case d < time.Hour:
		return tr("age.minutes", "{{.N}} min ago", map[string]any{"N": int(d.Minutes())})
	case d < 48*time.Hour:
		return tr("age.hours", "{{.N}} h ago", map[string]any{"N": int(d.Hours())})
	}
	return tr("age.days", "{{.N}} days ago", map[string]any{"N": int(d.Hours() / 24)})
}

// reload reads the queue from the cache off the main goroutine.
func (q *queuePane) reload() {
	be := q.m.be
	background(func() {
		entries, err := be.Queue(context.Background())
		fyne.Do(func() {
			if be != q.m.be {
				return // the user switched accounts meanwhile
			}
			if err != nil {
				q.m.status.setError(err)
			} else {
				q.setEntries(entries)
			}
			if ready := q.m.onReady; ready != nil {
				q.m.onReady = nil
				ready()
			}
		})
	})
}

// setEntries replaces the queue and refreshes filters, keeping the selection.
func (q *queuePane) setEntries(entries []client.QueueEntry) {
	q.all = entries
	q.stage.Options = stageOptions()
	q.column.Options = distinct(entries, func(e client.QueueEntry) string { return e.Column })
	q.dept.Options = distinct(entries, func(e client.QueueEntry) string { return e.Department })
	q.applyFilters()
	q.scanFindings(entries)
}

func stageOptions() []string {
	out := []string{tr("filter.all", "All")}
	for _, s := range review.Stages {
		out = append(out, stageText(s))
	}
	return out
}

func distinct(entries []client.QueueEntry, key func(client.QueueEntry) string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, e := range entries {
		if k := key(e); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return append([]string{tr("filter.all", "All")}, out...)
}

func (q *queuePane) applyFilters() {
	all := tr("filter.all", "All")
	want := func(sel *widget.Select, v string) bool {
		return sel.Selected == "" || sel.Selected == all || sel.Selected == v
	}
	needle := strings.ToLower(strings.TrimSpace(q.search.Text))
	q.shown = q.shown[:0]
	counts := map[review.Stage]int{}
	labels := map[review.Stage]string{} // translating once, not per item
	for _, s := range review.Stages {
		labels[s] = stageText(s)
	}
	for _, e := range q.all {
		counts[e.Stage]++
		if !want(q.stage, labels[e.Stage]) || !want(q.column, e.Column) || !want(q.dept, e.Department) {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(e.Title+" "+e.Column+" "+e.Department), needle) {
			continue
		}
		q.shown = append(q.shown, e)
	}
	var parts []string
	for _, s := range review.Stages {
		parts = append(parts, fmt.Sprintf("%s %d", stageText(s), counts[s]))
	}
	q.counts.SetText(strings.Join(parts, " · ") + "  " + tr("queue.shown", "(showing {{.N}})", map[string]any{"N": len(q.shown)}))
	if len(q.all) == 0 {
		q.empty.Show()
	} else {
		q.empty.Hide()
	}
	q.list.UnselectAll()
	q.list.Refresh()
	if i := q.indexOf(q.selID); i >= 0 {
		q.list.Select(i)
	}
}

func (q *queuePane) indexOf(id string) int {
	if id == "" {
		return -1
	}
	return slices.IndexFunc(q.shown, func(e client.QueueEntry) bool { return e.ID == id })
}

// chooseFirst selects the first item shown, unless the selection is
// already among them: Enter in the search box.
func (q *queuePane) chooseFirst() {
	if len(q.shown) > 0 && q.indexOf(q.selID) < 0 {
		q.list.Select(0)
		q.list.ScrollTo(0)
	}
}

// move selects the next (+1) or previous (-1) item.
func (q *queuePane) move(delta int) {
	if len(q.shown) == 0 {
		return
	}
	i := q.indexOf(q.selID) + delta
	if q.indexOf(q.selID) < 0 {
		i = 0
	}
	i = max(0, min(i, len(q.shown)-1))
	q.list.Select(i)
	q.list.ScrollTo(i)
}

// scanFindings counts pre-check findings of cached bodies for the queue's
// markers, off the main goroutine. Counts are kept per item version, so a
// reload scans only versions it has not seen, at most scanBatch at a time
// (the next reload takes the next ones).
func (q *queuePane) scanFindings(entries []client.QueueEntry) {
	pc, be := q.m.checks, q.m.be
	if pc == nil || q.scanning {
		return
	}
	var todo []client.QueueEntry
	for _, e := range entries {
		if _, done := q.findings[findingKey(e)]; !done && e.Cached {
			todo = append(todo, e)
			if len(todo) == scanBatch {
				break
			}
		}
	}
	if len(todo) == 0 {
		return
	}
	q.scanning = true
	background(func() {
		counts := map[string]int{}
		for _, e := range todo {
			body, err := be.Body(context.Background(), e.ID, e.Version)
			if err != nil {
				counts[findingKey(e)] = 0
				continue
			}
			_, fs := pc.Check(body.Body, body.ContentType)
			counts[findingKey(e)] = len(fs)
		}
		fyne.Do(func() {
			q.scanning = false
			if be != q.m.be {
				return
			}
			for k, n := range counts {
				q.findings[k] = n
			}
			q.list.Refresh()
		})
	})
}

// scanBatch bounds the bodies one pass of scanFindings checks.
const scanBatch = 200

func findingKey(e client.QueueEntry) string { return fmt.Sprintf("%s@%d", e.ID, e.Version) }

// searchEntry is the queue's search box: Enter picks the first result and
// Escape leaves the box, both handing the keyboard back to the shortcuts.
type searchEntry struct {
	widget.Entry
	onEnter, onLeave func()
}

func newSearchEntry(onEnter, onLeave func()) *searchEntry {
	e := &searchEntry{onEnter: onEnter, onLeave: onLeave}
	e.ExtendBaseWidget(e)
	return e
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		e.onEnter()
		e.onLeave()
	case fyne.KeyEscape:
		e.onLeave()
	default:
		e.Entry.TypedKey(k)
	}
}
