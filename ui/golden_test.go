package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sanshen/client"
	"sanshen/review"
)

// The golden files in testdata/ hold the markup of each screen; after a
// deliberate change, copy testdata/failed/*.xml over them and look at the diff.

func TestGoldenSignIn(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme())
	inline(t)
	a.Preferences().SetString(prefServer, "https://review.example.gov.cn")
	a.Preferences().SetString(prefUser, "reviewer")
	w := NewLoginWindow(a, func(context.Context, string, string, string) (Backend, error) { return nil, nil }, func(Backend) {})
	w.Resize(fyne.NewSize(480, 300))
	test.AssertRendersToMarkup(t, "signin.xml", w.Canvas())
}

func TestSignInErrors(t *testing.T) {
	f := newFixture(t, "reviewer")
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme())
	inline(t)
	var signedIn Backend
	login := func(ctx context.Context, server, user, pw string) (Backend, error) {
		return loginForTest(ctx, t, server, user, pw)
	}
	form := newLoginForm(a.Preferences(), login, func(be Backend) { signedIn = be })
	test.Type(form.server, f.url)
	test.Type(form.user, "reviewer")
	test.Type(form.password, "wrong-password")
	test.Tap(form.submit)
	if signedIn != nil || form.message.Text != tr("signin.wrong", "Wrong user name or password.") {
		t.Fatalf("wrong password: %q", form.message.Text)
	}
	form.server.SetText("http://127.0.0.1:1")
	test.Tap(form.submit)
	if form.message.Text != tr("signin.unreachable", "The server cannot be reached. Check the address and the network.") {
		t.Fatalf("unreachable server: %q", form.message.Text)
	}
	form.server.SetText(f.url)
	form.password.SetText(demoPassword)
	test.Tap(form.submit)
	if signedIn == nil || signedIn.User().Username != "reviewer" {
		t.Fatalf("no sign-in: %q", form.message.Text)
	}
	if a.Preferences().String(prefServer) != f.url || a.Preferences().String(prefUser) != "reviewer" {
		t.Fatal("server and user not remembered")
	}
}

func TestGoldenQueueAndItem(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	layOut(m.Window())
	test.AssertRendersToMarkup(t, "queue.xml", m.Window().Canvas())
	selectAtStage(t, m, review.StageFirst)
	layOut(m.Window())
	test.AssertRendersToMarkup(t, "item.xml", m.Window().Canvas())
}

// layOut lays the window's content out again, as a driver does before it
// paints when sizes change. The test canvas does not: without this, what was
// hidden when the window was sized (the item's detail, shown on selection)
// stays at size zero, its text never laid out, and the golden file holds
// nothing of it to compare; labels whose text grew keep their old height.
func layOut(w fyne.Window) { w.Content().Refresh() }

func loginForTest(ctx context.Context, t *testing.T, server, user, pw string) (Backend, error) {
	s, err := client.Login(ctx, client.Options{Dir: t.TempDir(), HTTP: client.HTTPConfig{Retries: -1}}, server, user, pw)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { s.Close() })
	return s, nil
}
