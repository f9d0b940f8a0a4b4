package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"sanshen/client"
	"sanshen/review"
)

// background runs work off the main goroutine; the work applies its result
// with fyne.Do. Tests replace it to run work inline.
var background = func(work func()) { go work() }

// MainWindow is the reviewer's window: the queue on the left, the item under
// review on the right, the sync status at the bottom.
type MainWindow struct {
	app    fyne.App
	win    fyne.Window
	be     Backend
	checks Prechecker
	links  LinkChecker
	demo   *Demo
	now    func() time.Time

	queue  *queuePane
	item   *itemPane
	status *statusBar

	cancelSub func()
	syncSeen  bool // a sync state of the current backend was shown
	userLabel *widget.Label
	onReady   func()
	dialogs   []dialog.Dialog // on screen, the newest last
}

// Options configure the main window.
type Options struct {
	Prechecker Prechecker       // nil: no pre-check hints
	Links      LinkChecker      // nil: links are not checked
	Demo       *Demo            // nil: not a demo
	Now        func() time.Time // nil: time.Now
	// OnReady is called once, on the main goroutine, when the window shows
	// the queue for the first time (or failed to read it): the client is usable.
	OnReady func()
}

// NewMainWindow builds the main window for a signed-in backend. Call Show on
// the returned window's Window().
func NewMainWindow(a fyne.App, be Backend, opts Options) *MainWindow {
	m := &MainWindow{app: a, be: be, checks: opts.Prechecker, links: opts.Links, demo: opts.Demo, now: opts.Now, onReady: opts.OnReady}
	if m.now == nil {
		m.now = time.Now
	}
	m.win = a.NewWindow(tr("app.title", "Sanshen — content review"))
	m.queue = newQueuePane(m)
	m.item = newItemPane(m)
	m.status = newStatusBar(m)
	m.userLabel = widget.NewLabel("")

	syncBtn := widget.NewButton(tr("action.sync", "Sync"), func() { m.be.SyncNow() })
	helpBtn := widget.NewButton("?", m.showShortcuts)
	top := container.NewHBox(widget.NewLabelWithStyle(tr("app.name", "Sanshen"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), m.userLabel)
	right := []fyne.CanvasObject{}
	if m.demo != nil {
		picker := m.demoPicker()
		right = append(right, widget.NewLabel(tr("demo.role", "Demo role:")),
			container.NewGridWrap(fyne.NewSize(240, picker.MinSize().Height), picker))
	}
	right = append(right, syncBtn, helpBtn)
	header := container.NewBorder(nil, nil, top, container.NewHBox(right...))

	split := container.NewHSplit(m.queue.content, m.item.content)
	split.Offset = 0.3
	m.win.SetContent(container.NewBorder(header, m.status.content, nil, nil, split))
	m.win.Resize(fyne.NewSize(1280, 800))
	m.installShortcuts()
	// What was typed but not yet saved goes to the cache before the window goes.
	m.win.SetOnClosed(func() { m.item.checks.flush() })
	m.setBackend(be)
	return m
}

// Window returns the Fyne window.
func (m *MainWindow) Window() fyne.Window { return m.win }

// setBackend points every pane at a (new) backend and reloads.
func (m *MainWindow) setBackend(be Backend) {
	if m.cancelSub != nil {
		m.cancelSub()
	}
	m.be = be
	u := be.User()
	m.userLabel.SetText(fmt.Sprintf("%s · %s", displayName(u), rolesText(u.Roles)))
	m.item.clear()
	m.syncSeen = false
	m.cancelSub = be.Subscribe(func(st client.SyncState) {
		fyne.Do(func() { m.onSync(st) })
	})
	m.queue.reload()
}

// onSync shows a new sync state, and reloads the queue and the item when a
// sync completed or the outbox changed since the last state seen. The first
// state after a (re)subscription only sets the status bar: setBackend has
// just loaded the queue.
func (m *MainWindow) onSync(st client.SyncState) {
	prev, seen := m.status.state, m.syncSeen
	m.syncSeen = true
	m.status.set(st, m.now())
	if !seen {
		return
	}
	if !st.LastSync.Equal(prev.LastSync) || st.Pending != prev.Pending || st.Refused != prev.Refused {
		m.queue.reload()
		m.item.reloadIfShown()
	}
	if st.NeedSignIn && !prev.NeedSignIn {
		m.showDialog(dialog.NewInformation(tr("signin.expired.title", "Sign in again"),
			tr("signin.expired.body", "The server no longer accepts this session. Your decisions are kept; sign in again to send them."), m.win))
	}
}

func (m *MainWindow) demoPicker() fyne.CanvasObject {
	labels := make([]string, len(m.demo.Users))
	for i, u := range m.demo.Users {
		labels[i] = roleText(u.Role) + " · " + u.Username
	}
	sel := widget.NewSelect(labels, nil)
	for i, u := range m.demo.Users {
		if u.Username == m.be.User().Username {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) {
		i := sel.SelectedIndex()
		if i < 0 || m.demo.Users[i].Username == m.be.User().Username {
			return
		}
		username := m.demo.Users[i].Username
		// Give the keyboard back to the window's shortcuts (j/k…).
		m.win.Canvas().Unfocus()
		background(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			be, err := m.demo.Switch(ctx, username)
			fyne.Do(func() {
				if err != nil {
					m.showDialog(dialog.NewError(err, m.win))
					return
				}
				m.setBackend(be)
			})
		})
	}
	return sel
}

// Close releases the subscription; the window closes with the app.
func (m *MainWindow) Close() {
	if m.cancelSub != nil {
		m.cancelSub()
	}
}

func displayName(u review.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// errorText turns an error into a sentence for the reviewer.
func errorText(err error) string {
	var se *client.ServerError
	switch {
	case errors.As(err, &se) && se.Message != "":
		return se.Text()
	case errors.Is(err, client.ErrUnauthorized):
		return tr("error.unauthorized", "The session expired: sign in again.")
	case errors.Is(err, client.ErrUnreachable):
		return tr("error.unreachable", "The server cannot be reached; working offline.")
	case errors.Is(err, client.ErrNotCached):
		return tr("error.notcached", "Not in the local cache; sync while online first.")
	case errors.Is(err, client.ErrBadReply):
		return tr("error.badreply", "The server's reply could not be understood.")
	}
	if re, ok := review.AsRuleError(err); ok {
		return ruleText(re)
	}
	return err.Error()
}

// ruleText returns a rule error's message in the UI's language.
func ruleText(re *review.RuleError) string {
	if uiEnglish() {
		return re.Message
	}
	return re.MessageZH
}

// uiEnglish reports whether the UI speaks English (else Chinese).
func uiEnglish() bool { return tr("lang.code", "en") == "en" }
