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

	shown    shownVersion // the item, stage and version on screen
	bodyRead bool         // the text of shown was read (not an error)
	bodyGen  int          // bumped when the text shown is replaced
}

// shownVersion is what the item pane shows. A reload (after a sync or a
// decision) that finds the same one keeps the text, the diff and what is
// typed in the checks panel as they are on screen.
type shownVersion struct {
	id      string
	stage   review.Stage
	version int
}

// loadedBody is the text of a version read for display, with its pre-check
// findings, or the error reading it.
type loadedBody struct {
	vb       client.VersionBody
	text     string
	findings []Finding
	err      error
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
	p.shown, p.bodyRead = shownVersion{}, false
	p.bodyGen++
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
	// Only fill (of the latest gen) and clear (which bumps gen) change what
	// is shown, so was is still on screen when this load is filled.
	gen, be, pc, was, wasRead := p.gen, p.m.be, p.m.checks, p.shown, p.bodyRead
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
		var draft client.Draft
		var body *loadedBody // nil when the text on screen stays
		same := false
		if err == nil {
			cur, _ := det.Current()
			same = was == shownVersion{id: id, stage: det.Item.Stage, version: cur.Number}
			if !same || !wasRead {
				body = &loadedBody{}
				body.vb, body.err = be.Body(ctx, id, cur.Number)
				if body.err == nil {
					if pc != nil {
						body.text, body.findings = pc.Check(body.vb.Body, body.vb.ContentType)
					} else {
						body.text = displayText(body.vb.Body, body.vb.ContentType)
					}
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
			p.fill(det, draft, body, same)
			if body != nil && body.err == nil {
				p.checkLinks(body)
			}
		})
	})
}

// checkLinks looks for dead links of the body shown when online, without
// blocking; what it finds joins the other findings of the item if that text
// is still shown (a reload of the same version keeps it).
func (p *itemPane) checkLinks(body *loadedBody) {
	lc, gen, vb, text, findings := p.m.links, p.bodyGen, body.vb, body.text, body.findings
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
				if gen != p.bodyGen {
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

// fill shows a loaded item. body is nil when the text on screen stays; same
// says the item, stage and version are the ones on screen.
func (p *itemPane) fill(det client.ItemDetail, draft client.Draft, body *loadedBody, same bool) {
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
	if body != nil {
		p.bodyGen++
		p.bodyRead = body.err == nil
		if body.err != nil {
			p.body.set(errorText(body.err), nil)
		} else {
			p.body.set(body.text, body.findings)
		}
		p.checks.setFindings(body.findings)
	}
	p.shown = shownVersion{id: it.ID, stage: it.Stage, version: cur.Number}
	p.diff.setItem(it, same)
	p.history.set(det.Events)
	if same {
		p.checks.update(it)
	} else {
		p.checks.setItem(it, draft)
	}
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
