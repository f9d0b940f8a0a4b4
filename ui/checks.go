package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sanshen/client"
	"sanshen/review"
)

// checksPanel is where the reviewer judges the five checks and acts. The
// buttons follow the rules of package review (the server enforces them
// again); what is typed is saved as a draft at once, so closing the app
// loses nothing.
type checksPanel struct {
	m       *MainWindow
	content fyne.CanvasObject
	scroll  *container.Scroll

	item   review.Item
	loaded bool

	radios     map[review.Check]*widget.RadioGroup
	comments   map[review.Check]*commentEntry
	counts     map[review.Check]*widget.Label
	disclosure *widget.Select
	discRow    *fyne.Container
	reason     *commentEntry
	dismissals []review.Dismissal
	dismissBox *fyne.Container
	routes     *widget.Label
	hint       *widget.Label
	buttons    map[review.Action]*widget.Button
	populating bool

	saveMu    sync.Mutex
	saveTimer *time.Timer
}

// commentEntry is a multi-line entry where Ctrl+Enter acts instead of
// being swallowed by the entry.
type commentEntry struct {
	widget.Entry
	onCtrlEnter func()
}

func newCommentEntry(onCtrlEnter func()) *commentEntry {
	e := &commentEntry{onCtrlEnter: onCtrlEnter}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

func (e *commentEntry) TypedShortcut(s fyne.Shortcut) {
	if isCtrlEnter(s) {
		e.onCtrlEnter()
		return
	}
	e.Entry.TypedShortcut(s)
}

func isCtrlEnter(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) && cs.Modifier&fyne.KeyModifierShortcutDefault != 0
}

var disclosures = []review.Disclosure{review.DisclosureProactive, review.DisclosureOnRequest, review.DisclosureWithheld}

func newChecksPanel(m *MainWindow) *checksPanel {
	p := &checksPanel{m: m, radios: map[review.Check]*widget.RadioGroup{}, comments: map[review.Check]*commentEntry{},
		counts: map[review.Check]*widget.Label{}, buttons: map[review.Action]*widget.Button{}}
	rows := []fyne.CanvasObject{widget.NewLabelWithStyle(tr("checks.title", "Five checks"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	for i, c := range review.Checks {
		opts := []string{verdictText(review.VerdictPass), verdictText(review.VerdictFail)}
		if c == review.CheckSecrecy {
			opts = append(opts, verdictText(review.VerdictUnsure))
		}
		rg := widget.NewRadioGroup(opts, func(string) { p.changed() })
		rg.Horizontal = true
		p.radios[c] = rg
		ce := newCommentEntry(p.actPrimary)
		ce.SetPlaceHolder(tr("checks.comment", "Comment"))
		ce.SetMinRowsVisible(2)
		ce.OnChanged = func(string) { p.changed() }
		p.comments[c] = ce
		cnt := widget.NewLabel("")
		p.counts[c] = cnt
		title := widget.NewLabelWithStyle(fmt.Sprintf("%d. %s", i+1, checkText(c)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		rows = append(rows, container.NewBorder(nil, nil, title, cnt), rg, ce)
		if c == review.CheckSecrecy {
			p.routes = widget.NewLabel("")
			p.routes.Wrapping = fyne.TextWrapWord
			p.routes.Hide()
			p.dismissBox = container.NewVBox()
			rows = append(rows, p.routes, p.dismissBox)
		}
	}
	labels := make([]string, len(disclosures))
	for i, d := range disclosures {
		labels[i] = disclosureText(d)
	}
	p.disclosure = widget.NewSelect(labels, func(string) { p.changed() })
	p.disclosure.PlaceHolder = tr("checks.disclosure.choose", "Choose the disclosure")
	p.discRow = container.NewVBox(widget.NewLabelWithStyle(tr("checks.disclosure", "Disclosure (decided at the first review)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.disclosure)
	p.reason = newCommentEntry(p.actPrimary)
	p.reason.SetPlaceHolder(tr("checks.reason", "Reason (required to return or not publish)"))
	p.reason.SetMinRowsVisible(2)
	p.reason.OnChanged = func(string) { p.changed() }
	p.hint = widget.NewLabel("")
	p.hint.Wrapping = fyne.TextWrapWord
	for _, a := range []review.Action{review.ActionApprove, review.ActionReturn, review.ActionReject} {
		a := a
		b := widget.NewButton(actionText(a, ""), func() { p.act(a) })
		p.buttons[a] = b
	}
	p.buttons[review.ActionApprove].Importance = widget.HighImportance
	p.buttons[review.ActionReject].Importance = widget.DangerImportance
	rows = append(rows, p.discRow, p.reason,
		container.NewGridWithColumns(3, p.buttons[review.ActionApprove], p.buttons[review.ActionReturn], p.buttons[review.ActionReject]),
		p.hint)
	p.scroll = container.NewVScroll(container.NewVBox(rows...))
	p.content = p.scroll
	p.setItem(review.Item{}, client.Draft{})
	return p
}

// setItem shows the panel for an item's current version with a saved draft.
// The pre-check findings are set apart, with setFindings.
func (p *checksPanel) setItem(it review.Item, d client.Draft) {
	p.populating = true
	defer func() { p.populating = false }()
	for _, c := range review.Checks {
		if r, ok := d.Verdicts[c]; ok {
			p.radios[c].SetSelected(verdictText(r.Verdict))
			p.comments[c].SetText(r.Comment)
		} else {
			p.radios[c].SetSelected("")
			p.comments[c].SetText("")
		}
	}
	p.disclosure.ClearSelected()
	disc := d.Disclosure
	if disc == review.DisclosureNone {
		disc = it.ProposedDisclosure // start from the submitter's proposal
	}
	for i, x := range disclosures {
		if x == disc {
			p.disclosure.SetSelectedIndex(i)
		}
	}
	p.reason.SetText(d.Reason)
	p.dismissals = append([]review.Dismissal(nil), d.Dismissals...)
	p.update(it)
}

// update shows a reloaded copy of the item whose stage and version are on
// screen (after a sync or a decision). What is typed and chosen is newer than
// any saved draft (the last keystrokes may not be saved yet) and is left
// alone, spaces and cursor included; only what comes from the item changes.
func (p *checksPanel) update(it review.Item) {
	p.item = it
	p.loaded = it.ID != ""
	if it.Stage == review.StageFirst {
		p.discRow.Show()
	} else {
		p.discRow.Hide()
	}
	p.showRoutes()
	p.buttons[review.ActionApprove].SetText(actionText(review.ActionApprove, it.Stage))
	p.refreshButtons()
}

// setFindings shows how many pre-check hints each check has.
func (p *checksPanel) setFindings(findings []Finding) {
	n := map[review.Check]int{}
	for _, f := range findings {
		n[f.Check]++
	}
	for _, c := range review.Checks {
		if n[c] > 0 {
			p.counts[c].SetText(tr("checks.hints", "▲ {{.N}} hints", map[string]any{"N": n[c]}))
		} else {
			p.counts[c].SetText("")
		}
	}
}

// showRoutes tells the secrecy officer why the item came to them, and lists
// open secrecy hints that a reviewer may dismiss with a reason.
func (p *checksPanel) showRoutes() {
	routes := p.item.SecrecyRoutes()
	if p.item.Stage == review.StageSecrecy && len(routes) > 0 {
		lines := []string{tr("checks.routed", "Sent to secrecy review because:")}
		for _, r := range routes {
			lines = append(lines, "• "+routeText(r))
		}
		p.routes.SetText(strings.Join(lines, "\n"))
		p.routes.Show()
	} else {
		p.routes.Hide()
	}
	p.dismissBox.RemoveAll()
	if !p.loaded || p.item.Stage == review.StageSecrecy {
		return
	}
	for _, f := range p.item.SecrecyFindings {
		if !f.Open() {
			continue
		}
		f := f
		text := tr("checks.secrecyhint", "Secrecy hint: {{.E}}", map[string]any{"E": f.Excerpt})
		if r := p.dismissReason(f.Key); r != "" {
			text += " — " + tr("checks.dismissed", "dismissed: {{.R}}", map[string]any{"R": r})
		}
		btn := widget.NewButton(tr("checks.dismiss", "Dismiss…"), func() { p.askDismiss(f) })
		p.dismissBox.Add(container.NewBorder(nil, nil, nil, btn, widget.NewLabel(text)))
	}
}

func (p *checksPanel) dismissReason(key string) string {
	for _, d := range p.dismissals {
		if d.Finding == key {
			return d.Reason
		}
	}
	return ""
}

func (p *checksPanel) askDismiss(f review.SecrecyFinding) {
	e := widget.NewEntry()
	e.SetPlaceHolder(tr("checks.dismiss.reason", "Why is this not a secret?"))
	p.m.showDialog(dialog.NewForm(tr("checks.dismiss.title", "Dismiss a secrecy hint"), tr("dialog.ok", "OK"), tr("dialog.cancel", "Cancel"),
		[]*widget.FormItem{widget.NewFormItem(f.Excerpt, e)}, func(ok bool) {
			if !ok || strings.TrimSpace(e.Text) == "" {
				return
			}
			p.dismissals = append(p.dismissals, review.Dismissal{Finding: f.Key, Reason: strings.TrimSpace(e.Text)})
			p.showRoutes()
			p.changed()
		}, p.m.win))
}

func (p *checksPanel) verdicts() review.Verdicts {
	v := review.Verdicts{}
	for _, c := range review.Checks {
		var verdict review.Verdict
		switch p.radios[c].Selected {
		case verdictText(review.VerdictPass):
			verdict = review.VerdictPass
		case verdictText(review.VerdictFail):
			verdict = review.VerdictFail
		case verdictText(review.VerdictUnsure):
			verdict = review.VerdictUnsure
		}
		comment := strings.TrimSpace(p.comments[c].Text)
		if verdict != "" || comment != "" {
			v[c] = review.CheckResult{Verdict: verdict, Comment: comment}
		}
	}
	return v
}

func (p *checksPanel) chosenDisclosure() review.Disclosure {
	if i := p.disclosure.SelectedIndex(); i >= 0 {
		return disclosures[i]
	}
	return review.DisclosureNone
}

// decision builds the decision the panel would send for action a.
func (p *checksPanel) decision(a review.Action) review.Decision {
	cur, _ := p.item.Current()
	d := review.Decision{Stage: p.item.Stage, Version: cur.Number, SHA256: cur.SHA256, Action: a,
		Verdicts: p.verdicts(), Reason: strings.TrimSpace(p.reason.Text), Dismissals: p.dismissals}
	if p.item.Stage == review.StageFirst {
		d.Disclosure = p.chosenDisclosure()
	}
	return d
}

func (p *checksPanel) draft() client.Draft {
	cur, _ := p.item.Current()
	return client.Draft{ItemID: p.item.ID, Version: cur.Number, Verdicts: p.verdicts(), Disclosure: p.chosenDisclosure(),
		Reason: strings.TrimSpace(p.reason.Text), Dismissals: p.dismissals}
}

// changed refreshes the buttons and saves the draft shortly after typing stops.
func (p *checksPanel) changed() {
	if p.populating || !p.loaded {
		return
	}
	p.refreshButtons()
	d, be := p.draft(), p.m.be
	p.saveMu.Lock()
	defer p.saveMu.Unlock()
	if p.saveTimer != nil {
		p.saveTimer.Stop()
	}
	p.saveTimer = time.AfterFunc(300*time.Millisecond, func() { p.save(be, d) })
}

func (p *checksPanel) save(be Backend, d client.Draft) {
	if err := be.SaveDraft(context.Background(), d); err != nil {
		fyne.Do(func() { p.m.status.setError(err) })
	}
}

// flush saves the draft now (before switching items or closing).
func (p *checksPanel) flush() {
	p.saveMu.Lock()
	t := p.saveTimer
	p.saveTimer = nil
	p.saveMu.Unlock()
	if t != nil && t.Stop() && p.loaded {
		p.save(p.m.be, p.draft())
	}
}

func (p *checksPanel) refreshButtons() {
	u := p.m.be.User()
	if !p.loaded || p.item.Status != review.StatusInReview {
		for _, b := range p.buttons {
			b.Disable()
		}
		p.hint.SetText("")
		return
	}
	var firstErr error
	for _, a := range []review.Action{review.ActionApprove, review.ActionReturn, review.ActionReject} {
		err := review.CheckDecision(p.item, u, p.decision(a))
		if err == nil {
			p.buttons[a].Enable()
		} else {
			p.buttons[a].Disable()
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	if firstErr != nil && !p.buttons[review.ActionApprove].Disabled() {
		firstErr = nil
	}
	if firstErr != nil {
		p.hint.SetText(errorText(firstErr))
	} else {
		p.hint.SetText("")
	}
}

// actPrimary acts with the action the verdicts point to: return when a check
// fails, approve otherwise.
func (p *checksPanel) actPrimary() {
	a := review.ActionApprove
	for _, r := range p.verdicts() {
		if r.Verdict == review.VerdictFail {
			a = review.ActionReturn
		}
	}
	p.act(a)
}

// act confirms and sends a decision through the client's outbox.
func (p *checksPanel) act(a review.Action) {
	if !p.loaded {
		return
	}
	d := p.decision(a)
	if err := review.CheckDecision(p.item, p.m.be.User(), d); err != nil {
		p.m.showDialog(dialog.NewInformation(actionText(a, p.item.Stage), errorText(err), p.m.win))
		return
	}
	it, be := p.item, p.m.be
	p.m.showDialog(dialog.NewConfirm(tr("confirm.title", "Confirm: {{.A}}", map[string]any{"A": actionText(a, it.Stage)}),
		decisionSummary(it, d), func(ok bool) {
			if !ok {
				return
			}
			p.flush()
			background(func() {
				entry, err := be.Decide(context.Background(), it.ID, d)
				fyne.Do(func() { p.decided(entry, err) })
			})
		}, p.m.win))
}

func (p *checksPanel) decided(e client.OutboxEntry, err error) {
	if err != nil {
		p.m.showDialog(dialog.NewInformation(tr("decide.failed", "Not sent"), errorText(err), p.m.win))
		return
	}
	var msg string
	switch e.State {
	case client.OutboxSent:
		msg = tr("decide.sent", "The decision was accepted by the server.")
	case client.OutboxPending:
		msg = tr("decide.queued", "Saved here; it will be sent when the server can be reached.")
	case client.OutboxConflict:
		msg = tr("decide.conflict", "The item changed on the server; your verdicts and comments are kept. Review the new version and decide again.") + "\n" + e.Message
	default:
		msg = tr("decide.rejected", "The server refused the decision:") + "\n" + e.Message
	}
	p.m.showDialog(dialog.NewInformation(outboxText(e.State), msg, p.m.win))
	p.m.queue.reload()
	p.m.item.reloadIfShown()
}

// decisionSummary sums up what will be sent.
func decisionSummary(it review.Item, d review.Decision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", it.Title)
	fmt.Fprintf(&b, "%s · %s · %s\n", stageText(d.Stage), tr("summary.version", "version {{.N}}", map[string]any{"N": d.Version}), shortHash(d.SHA256))
	for _, c := range review.Checks {
		r := d.Verdicts[c]
		fmt.Fprintf(&b, "%s: %s", checkText(c), verdictText(r.Verdict))
		if r.Comment != "" {
			fmt.Fprintf(&b, " — %s", r.Comment)
		}
		b.WriteByte('\n')
	}
	if d.Disclosure != review.DisclosureNone {
		fmt.Fprintf(&b, "%s: %s\n", tr("summary.disclosure", "Disclosure"), disclosureText(d.Disclosure))
	}
	if d.Reason != "" {
		fmt.Fprintf(&b, "%s: %s\n", tr("summary.reason", "Reason"), d.Reason)
	}
	for _, dm := range d.Dismissals {
		fmt.Fprintf(&b, "%s: %s — %s\n", tr("summary.dismissed", "Dismissed hint"), dm.Finding, dm.Reason)
	}
	return strings.TrimRight(b.String(), "\n")
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// focusCheck puts the keyboard in the comment of check i (0-based).
func (p *checksPanel) focusCheck(i int) {
	if i >= 0 && i < len(review.Checks) {
		c := review.Checks[i]
		// Bring the check's title, verdicts and comment into view.
		y := p.radios[c].Position().Y - 2*theme.Padding() - p.radios[c].MinSize().Height
		p.scroll.ScrollToOffset(fyne.NewPos(0, max(y, 0)))
		p.m.win.Canvas().Focus(p.comments[c])
	}
}
