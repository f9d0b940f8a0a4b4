package ui

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sanshen/client"
	_ "sanshen/internal/initlocale" // no Fyne locale error under LANG=C.UTF-8; see its comment
	"sanshen/review"
	"sanshen/server"
)

const demoPassword = "demo-password-for-tests"

// testNow is the clock of the server, the client and the screens in tests,
// so that ages and times render the same on every run.
var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	// The screens default to Simplified Chinese, and so do the tests.
	if err := SetupLanguage(""); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// fixture is a real server on loopback with the demo data and a real client
// session with its cache in a temporary directory.
type fixture struct {
	t    *testing.T
	srv  *server.Server
	url  string
	sess *client.Session
}

// syncBackend is the session with Subscribe made synchronous: the tests run
// widgets on their own goroutine, and the session's background dispatcher
// would otherwise touch them from another.
type syncBackend struct {
	*client.Session
}

func (b syncBackend) Subscribe(fn func(client.SyncState)) func() {
	fn(b.State())
	return func() {}
}

func newFixture(t *testing.T, username string) *fixture {
	t.Helper()
	ctx := context.Background()
	srv, err := server.Open(ctx, server.Config{DBPath: filepath.Join(t.TempDir(), "server.db"), InsecureFastPasswords: true,
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.SeedDemo(ctx, demoPassword); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	f := &fixture{t: t, srv: srv, url: hs.URL}
	f.sess = f.login(username)
	return f
}

func (f *fixture) login(username string) *client.Session {
	f.t.Helper()
	ctx := context.Background()
	s, err := client.Login(ctx, client.Options{Dir: f.t.TempDir(), Now: func() time.Time { return testNow }}, f.url, username, demoPassword)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { s.Close() })
	if _, err := s.Sync(ctx); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// inline makes background work run on the calling goroutine for the test.
func inline(t *testing.T) {
	prev := background
	background = func(work func()) { work() }
	t.Cleanup(func() { background = prev })
}

func newTestWindow(t *testing.T, be Backend) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme())
	inline(t)
	m := NewMainWindow(a, be, Options{Now: func() time.Time { return testNow }})
	m.Window().Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() { m.Close(); m.Window().Close() })
	return m
}

// selectItem selects the queue entry whose item is at stage s.
func selectAtStage(t *testing.T, m *MainWindow, s review.Stage) client.QueueEntry {
	t.Helper()
	for i, e := range m.queue.shown {
		if e.Stage == s {
			m.queue.list.Select(i)
			if m.item.id != e.ID {
				t.Fatalf("selecting row %d did not open item %s", i, e.ID)
			}
			return e
		}
	}
	t.Fatalf("no item at stage %s in the queue", s)
	return client.QueueEntry{}
}

func TestApproveDisabledWhileACheckFails(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	selectAtStage(t, m, review.StageFirst)
	p := m.item.checks
	approve := p.buttons[review.ActionApprove]
	if !approve.Disabled() {
		t.Fatal("approve enabled before any verdict")
	}
	for _, c := range review.Checks {
		p.radios[c].SetSelected(verdictText(review.VerdictPass))
	}
	p.disclosure.SetSelectedIndex(0)
	if approve.Disabled() {
		t.Fatalf("approve disabled with five passes and a disclosure: %s", p.hint.Text)
	}
	p.radios[review.CheckText].SetSelected(verdictText(review.VerdictFail))
	if !approve.Disabled() {
		t.Fatal("approve enabled while the text check fails")
	}
	if p.hint.Text == "" {
		t.Fatal("no explanation why approve is disabled")
	}
	ret := p.buttons[review.ActionReturn]
	if !ret.Disabled() {
		t.Fatal("return enabled without a reason")
	}
	test.Type(p.reason, "第二段有错别字")
	if ret.Disabled() {
		t.Fatal("return disabled with a fail and a reason")
	}
}

func TestDecisionReachesOutboxAndServer(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	e := selectAtStage(t, m, review.StageFirst)
	p := m.item.checks
	for _, c := range review.Checks {
		p.radios[c].SetSelected(verdictText(review.VerdictPass))
	}
	p.radios[review.CheckText].SetSelected(verdictText(review.VerdictFail))
	test.Type(p.comments[review.CheckText], "“按装”应为“安装”")
	test.Type(p.reason, "请改正错别字后重新提交")
	p.act(review.ActionReturn)
	confirm := topDialogButton(t, m.Window(), tr("dialog.ok", "OK"), "Yes", "确定", "是")
	test.Tap(confirm)
	out, err := f.sess.Outbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].ItemID != e.ID || out[0].Decision.Action != review.ActionReturn || out[0].State != client.OutboxSent {
		t.Fatalf("outbox: %+v", out)
	}
	if got := out[0].Decision.Verdicts[review.CheckText].Comment; got != "“按装”应为“安装”" {
		t.Fatalf("comment sent: %q", got)
	}
	evs, err := f.sess.API().Events(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != review.EventReturned || last.Actor != "reviewer" {
		t.Fatalf("server events end with %+v", last)
	}
}

func TestDialogsByKeyboard(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	c := m.Window().Canvas().(test.WindowlessCanvas)
	typeKey := func(k fyne.KeyName) { c.OnTypedKey()(&fyne.KeyEvent{Name: k}) }

	// ? opens the shortcut list, Escape closes it, and j is a shortcut again.
	test.TypeOnCanvas(c, "?")
	if m.topDialog() == nil || c.Overlays().Top() == nil {
		t.Fatal("? showed no dialog")
	}
	test.TypeOnCanvas(c, "j")
	if m.item.id != "" {
		t.Fatal("j moved the queue behind the dialog")
	}
	typeKey(fyne.KeyEscape)
	if m.topDialog() != nil || c.Overlays().Top() != nil {
		t.Fatal("Escape left the shortcut list open")
	}

	e := selectAtStage(t, m, review.StageFirst)
	p := m.item.checks
	for _, ck := range review.Checks {
		p.radios[ck].SetSelected(verdictText(review.VerdictPass))
	}
	p.disclosure.SetSelectedIndex(0)
	outbox := func() []client.OutboxEntry {
		out, err := f.sess.Outbox(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// Act, then Escape: cancelled, nothing sent.
	p.actPrimary()
	if _, ok := m.topDialog().(*dialog.ConfirmDialog); !ok {
		t.Fatalf("acting showed %T, want a confirmation", m.topDialog())
	}
	typeKey(fyne.KeyEscape)
	if m.topDialog() != nil || len(outbox()) != 0 {
		t.Fatalf("Escape did not cancel: dialog %v, outbox %d", m.topDialog(), len(outbox()))
	}
	// Act; a notice comes on top (as a sync's would) and Escape closes only
	// the notice; then Enter confirms: sent.
	p.actPrimary()
	confirm := m.topDialog()
	m.showDialog(dialog.NewInformation("notice", "over the confirmation", m.Window()))
	typeKey(fyne.KeyEscape)
	if m.topDialog() != confirm {
		t.Fatalf("after closing the notice the top dialog is %v, want the confirmation", m.topDialog())
	}
	typeKey(fyne.KeyReturn)
	deadline := time.Now().Add(10 * time.Second)
	for len(outbox()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	out := outbox()
	if len(out) != 1 || out[0].ItemID != e.ID || out[0].Decision.Action != review.ActionApprove {
		t.Fatalf("after Enter the outbox holds %+v", out)
	}
}

// topDialogButton finds a button with one of the labels in the window's top overlay.
func topDialogButton(t *testing.T, w fyne.Window, labels ...string) *widget.Button {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	var found *widget.Button
	walk(t, top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && found == nil {
			for _, l := range labels {
				if b.Text == l {
					found = b
				}
			}
		}
	})
	if found == nil {
		t.Fatalf("no button %v in the dialog", labels)
	}
	return found
}

func walk(t *testing.T, o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(t, c, fn)
		}
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, x)
		for _, c := range r.Objects() {
			walk(t, c, fn)
		}
	}
}

func TestDraftSurvivesReopen(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	e := selectAtStage(t, m, review.StageFirst)
	p := m.item.checks
	p.radios[review.CheckPolitical].SetSelected(verdictText(review.VerdictPass))
	test.Type(p.comments[review.CheckLegal], "引用条款需核对")
	p.flush()
	// A new window on the same cache, as after closing the app.
	m2 := newTestWindow(t, syncBackend{f.sess})
	for i, x := range m2.queue.shown {
		if x.ID == e.ID {
			m2.queue.list.Select(i)
		}
	}
	p2 := m2.item.checks
	if p2.radios[review.CheckPolitical].Selected != verdictText(review.VerdictPass) || p2.comments[review.CheckLegal].Text != "引用条款需核对" {
		t.Fatalf("draft lost: political=%q legal=%q", p2.radios[review.CheckPolitical].Selected, p2.comments[review.CheckLegal].Text)
	}
}

// TestTypingSurvivesReload: a sync reloads the item on screen before the
// draft's debounced save; what was typed stays.
func TestTypingSurvivesReload(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	selectAtStage(t, m, review.StageFirst)
	p := m.item.checks
	p.radios[review.CheckText].SetSelected(verdictText(review.VerdictFail))
	test.Type(p.comments[review.CheckText], "第三段“按装”应为“安装”")
	m.item.reloadIfShown() // before the 300 ms save
	if p.radios[review.CheckText].Selected != verdictText(review.VerdictFail) || p.comments[review.CheckText].Text != "第三段“按装”应为“安装”" {
		t.Fatalf("reload lost the typing: text=%q %q", p.radios[review.CheckText].Selected, p.comments[review.CheckText].Text)
	}
	p.flush()
}

// TestSpacesSurviveReload: a reload of the version on screen leaves the
// entries being typed in alone, trailing spaces and newlines included.
func TestSpacesSurviveReload(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	selectAtStage(t, m, review.StageFirst)
	p := m.item.checks
	const comment, reason = "第三段“按装”应为 ", "请改正错别字\n"
	test.Type(p.comments[review.CheckText], comment)
	test.Type(p.reason, reason)
	if p.comments[review.CheckText].Text != comment || p.reason.Text != reason {
		t.Fatalf("typed %q and %q", p.comments[review.CheckText].Text, p.reason.Text)
	}
	m.item.reloadIfShown() // before the 300 ms save
	if got := p.comments[review.CheckText].Text; got != comment {
		t.Errorf("reload changed the comment to %q, want %q", got, comment)
	}
	if got := p.reason.Text; got != reason {
		t.Errorf("reload changed the reason to %q, want %q", got, reason)
	}
	p.flush()
}

// TestBodyScrollSurvivesReload: a reload of the version on screen keeps the
// text where the reviewer scrolled it.
func TestBodyScrollSurvivesReload(t *testing.T) {
	f := newFixture(t, "reviewer")
	sub := f.login("submitter")
	var body strings.Builder
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&body, "第%d段　本市城市道路管理办法的一段正文。\n", i)
	}
	it, err := sub.API().CreateItem(context.Background(), client.NewItem{Title: "长篇稿件", Column: "政策文件", Body: body.String(), ContentType: review.ContentPlain})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.sess.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := newTestWindow(t, syncBackend{f.sess})
	i := m.queue.indexOf(it.ID)
	if i < 0 {
		t.Fatal("the long item is not in the queue")
	}
	m.queue.list.Select(i)
	list := m.item.body.lines.list
	list.ScrollToOffset(5000)
	at := list.GetScrollOffset()
	if at < 1000 {
		t.Fatalf("the body did not scroll: offset %v", at)
	}
	m.item.reloadIfShown()
	if got := list.GetScrollOffset(); got != at {
		t.Fatalf("the reload scrolled the body from %v to %v", at, got)
	}
}

func TestShortcutsMoveSelection(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	if len(m.queue.shown) < 2 {
		t.Fatalf("queue too short: %d", len(m.queue.shown))
	}
	c := m.Window().Canvas()
	test.TypeOnCanvas(c, "j")
	first := m.item.id
	if first != m.queue.shown[0].ID {
		t.Fatalf("j selected %q, want the first item %q", first, m.queue.shown[0].ID)
	}
	test.TypeOnCanvas(c, "j")
	if m.item.id != m.queue.shown[1].ID {
		t.Fatalf("second j selected %q", m.item.id)
	}
	test.TypeOnCanvas(c, "k")
	if m.item.id != first {
		t.Fatalf("k went to %q, want %q", m.item.id, first)
	}
	c.(test.WindowlessCanvas).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDown})
	if m.item.id != m.queue.shown[1].ID {
		t.Fatal("↓ did not move down")
	}
	test.TypeOnCanvas(c, "3")
	if c.Focused() != m.item.checks.comments[review.CheckPolicy] {
		t.Fatal("3 did not focus the policy check's comment")
	}
}

func TestSearchByKeyboard(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	c := m.Window().Canvas()
	if len(m.queue.shown) < 3 {
		t.Fatalf("queue too short: %d", len(m.queue.shown))
	}
	want := m.queue.shown[2]
	test.TypeOnCanvas(c, "/")
	if c.Focused() != m.queue.search {
		t.Fatal("/ did not focus the search box")
	}
	test.Type(m.queue.search, want.Title)
	if m.queue.search.Text != want.Title {
		t.Fatalf("search box holds %q, want %q (the / must not be typed into it)", m.queue.search.Text, want.Title)
	}
	m.queue.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if m.item.id != want.ID {
		t.Fatalf("Enter selected %q, want %q", m.item.id, want.ID)
	}
	if c.Focused() != nil {
		t.Fatal("Enter left the keyboard in the search box")
	}
	m.queue.search.SetText("")
	test.TypeOnCanvas(c, "j")
	if i := m.queue.indexOf(m.item.id); i != 3 {
		t.Fatalf("j after the search went to row %d, want 3", i)
	}
	m.win.Canvas().Focus(m.queue.search)
	m.queue.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Focused() != nil {
		t.Fatal("Escape left the keyboard in the search box")
	}
}

func TestQueueFilters(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	all := len(m.queue.shown)
	if all == 0 {
		t.Fatal("empty queue")
	}
	title := m.queue.shown[0].Title
	test.Type(m.queue.search, []string{string([]rune(title)[:4])}[0])
	if n := len(m.queue.shown); n == 0 || n > all {
		t.Fatalf("search kept %d of %d", n, all)
	}
	for _, e := range m.queue.shown {
		if !strings.Contains(e.Title+e.Column+e.Department, string([]rune(title)[:4])) {
			t.Fatalf("search kept %q", e.Title)
		}
	}
	m.queue.search.SetText("不可能出现的标题")
	if len(m.queue.shown) != 0 {
		t.Fatalf("search for nonsense kept %d", len(m.queue.shown))
	}
}
