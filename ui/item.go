package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sanshen/client"
	"sanshen/review"
)

// itemPane shows the item under review: what it is, its text, its diffs, its
// history, and the checks panel.
type itemPane struct {
	m       *MainWindow
	content fyne.CanvasObject

	title   *widget.Label
	meta    *widget.Label
	outbox  *widget.Label
	tabs    *container.AppTabs
	body    *bodyView
	diff    *diffView
	history *historyView
	checks  *checksPanel
	empty   *widget.Label
	split   *container.Split

	id  string // the item shown, "" when none
	gen int
}

func newItemPane(m *MainWindow) *itemPane {
	p := &itemPane{m: m}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Wrapping = fyne.TextWrapWord
	p.meta = widget.NewLabel("")
	p.meta.Wrapping = fyne.TextWrapWord
	p.outbox = widget.NewLabel("")
	p.outbox.Wrapping = fyne.TextWrapWord
	p.outbox.Importance = widget.WarningImportance
	p.body = newBodyView()
	p.diff = newDiffView(m)
	p.history = newHistoryView()
	p.checks = newChecksPanel(m)
	p.tabs = container.NewAppTabs(
		container.NewTabItem(tr("tab.body", "Text"), p.body.content),
		container.NewTabItem(tr("tab.diff", "Changes"), p.diff.content),
		container.NewTabItem(tr("tab.history", "History"), p.history.content),
	)
	p.split = container.NewHSplit(p.tabs, p.checks.content)
	p.split.Offset = 0.68
	p.empty = widget.NewLabel(tr("item.none", "Choose an item on the left (j/k or ↓/↑; / to search, ? for all keys)."))
	detail := container.NewBorder(container.NewVBox(p.title, p.meta, p.outbox), nil, nil, nil, p.split)
	p.content = container.NewStack(detail, container.NewCenter(p.empty))
	p.clear()
	return p
}

// clear shows no item.
func (p *itemPane) clear() {
	p.checks.flush()
	p.id = ""
	p.gen++
	p.title.SetText("")
	p.meta.SetText("")
	p.outbox.Hide()
	p.split.Hide()
	p.empty.Show()
}

// show loads an item from the cache (or the server when not cached).
func (p *itemPane) show(id string) {
	if id != p.id {
		p.checks.flush()
	}
	p.id = id
	p.gen++
	gen, be, pc := p.gen, p.m.be, p.m.checks
	background(func() {
		ctx := context.Background()
		det, err := be.Item(ctx, id)
		if errors.Is(err, client.ErrNotCached) || err == nil && det.Stale {
			if fetched, ferr := be.FetchItem(ctx, id); ferr == nil {
				det, err = fetched, nil
			} else if err != nil {
				err = ferr
			}
		}
		var text string
		var findings []Finding
		var draft client.Draft
		var vb client.VersionBody
		var bodyErr error
		if err == nil {
			cur, _ := det.Current()
			vb, bodyErr = be.Body(ctx, id, cur.Number)
			if bodyErr == nil {
				if pc != nil {
					text, findings = pc.Check(vb.Body, vb.ContentType)
				} else {
					text = displayText(vb.Body, vb.ContentType)
				}
			}
			if d, ok, derr := be.Draft(ctx, id, cur.Number); derr == nil && ok {
				draft = d
			}
		}
		fyne.Do(func() {
			if gen != p.gen {
				return
			}
			if err != nil {
				p.title.SetText(errorText(err))
				p.split.Hide()
				p.empty.Hide()
				return
			}
			p.fill(det, text, findings, draft, bodyErr)
			if bodyErr == nil {
				p.checkLinks(gen, vb, text, findings)
			}
		})
	})
}

// checkLinks looks for dead links of the body shown when online, without
// blocking; what it finds joins the other findings of the item if it is
// still shown.
func (p *itemPane) checkLinks(gen int, vb client.VersionBody, text string, findings []Finding) {
	lc := p.m.links
	if lc == nil || !p.m.status.state.Online || vb.ContentType != review.ContentHTML {
		return
	}
	background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		lc.DeadLinks(ctx, vb.Body, vb.ContentType, func(dead []Finding) {
			cancel()
			if len(dead) == 0 {
				return
			}
			fyne.Do(func() {
				if gen != p.gen {
					return
				}
				all := append(append([]Finding(nil), findings...), dead...)
				p.body.set(text, all)
				p.checks.setFindings(all)
			})
		})
	})
}

// reloadIfShown reloads the shown item (after a sync or a decision).
func (p *itemPane) reloadIfShown() {
	if p.id != "" {
		p.show(p.id)
	}
}

func (p *itemPane) fill(det client.ItemDetail, text string, findings []Finding, draft client.Draft, bodyErr error) {
	it := det.Item
	cur, _ := it.Current()
	p.empty.Hide()
	p.split.Show()
	p.title.SetText(it.Title)
	parts := []string{
		tr("meta.column", "Column: {{.V}}", map[string]any{"V": it.Column}),
		tr("meta.department", "Department: {{.V}}", map[string]any{"V": it.Department}),
		tr("meta.submitter", "Submitter: {{.V}}", map[string]any{"V": it.Submitter}),
		tr("meta.version", "Version {{.N}} ({{.H}})", map[string]any{"N": cur.Number, "H": shortHash(cur.SHA256)}),
		fmt.Sprintf("%s · %s", stageText(it.Stage), statusText(it.Status)),
		tr("meta.proposed", "Proposed disclosure: {{.V}}", map[string]any{"V": disclosureText(it.ProposedDisclosure)}),
	}
	if it.Disclosure != review.DisclosureNone {
		parts = append(parts, tr("meta.disclosure", "Disclosure: {{.V}}", map[string]any{"V": disclosureText(it.Disclosure)}))
	}
	if it.RepostFrom != "" {
		parts = append(parts, tr("meta.repost", "Repost from {{.V}}", map[string]any{"V": it.RepostFrom}))
	}
	if cur.Kind == review.KindProofread {
		parts = append(parts, tr("meta.proofread", "Proofread by {{.V}}", map[string]any{"V": cur.Author}))
	}
	if det.Stale {
		parts = append(parts, tr("meta.stale", "(changed on the server; will refresh at the next sync)"))
	}
	p.meta.SetText(strings.Join(parts, " · "))
	p.showOutbox(det.Outbox, draft)
	if bodyErr != nil {
		p.body.set(errorText(bodyErr), nil)
	} else {
		p.body.set(text, findings)
	}
	p.diff.setItem(it)
	p.history.set(det.Events)
	p.checks.setItem(it, draft, findings)
}

// showOutbox says what became of the last decision made here on the item.
func (p *itemPane) showOutbox(entries []client.OutboxEntry, draft client.Draft) {
	var last *client.OutboxEntry
	for i := range entries {
		if entries[i].SupersededBy == "" {
			last = &entries[i]
		}
	}
	if last == nil {
		p.outbox.Hide()
		return
	}
	text := tr("outbox.line", "Your decision ({{.A}}): {{.S}}", map[string]any{"A": actionText(last.Decision.Action, last.Decision.Stage), "S": outboxText(last.State)})
	if last.Message != "" {
		text += " — " + last.Message
	}
	if draft.FromDecision != "" {
		text += "\n" + tr("outbox.redo", "Your verdicts and comments were carried over to the new version: check them and decide again.")
	}
	p.outbox.SetText(text)
	p.outbox.Show()
}

// historyView lists the audit events, telling people and the system apart.
type historyView struct {
	content fyne.CanvasObject
	list    *widget.List
	events  []review.Event
}

func newHistoryView() *historyView {
	h := &historyView{}
	h.list = widget.NewList(
		func() int { return len(h.events) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapOff
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(h.events) {
				o.(*widget.Label).SetText(eventLine(h.events[id]))
			}
		},
	)
	h.content = h.list
	return h
}

func (h *historyView) set(evs []review.Event) {
	h.events = evs
	h.list.Refresh()
}

func eventLine(e review.Event) string {
	who := e.Actor
	if e.System {
		who = "◆" + tr("history.system", "system")
	}
	s := fmt.Sprintf("%s  %s  %s", e.At.Local().Format("2006-01-02 15:04"), who, eventText(e.Kind))
	if e.Stage != "" {
		s += " · " + stageText(e.Stage)
	}
	if e.Version > 0 {
		s += " · " + tr("summary.version", "version {{.N}}", map[string]any{"N": e.Version})
	}
	if e.Detail != "" {
		s += " · " + e.Detail
	}
	return s
}
