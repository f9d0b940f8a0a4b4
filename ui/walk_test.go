package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sanshen/review"
)

// TestWalkThroughRoles does what the issue asks of a new user, through the
// screens against the real demo server: as reviewer, open an item, read its
// diff, fail the text check with a comment and return it; as head, approve
// another; as leader, sign one off. Each must show up in the server's events.
func TestWalkThroughRoles(t *testing.T) {
	f := newFixture(t, "reviewer")
	m := newTestWindow(t, syncBackend{f.sess})
	confirm := func() { test.Tap(topDialogButton(t, m.Window(), "确定", "是", "Yes", "OK")) }

	// Reviewer: return an item at the first stage.
	e := selectAtStage(t, m, review.StageFirst)
	m.item.tabs.SelectIndex(1) // 差异
	p := m.item.checks
	for _, c := range review.Checks {
		p.radios[c].SetSelected(verdictText(review.VerdictPass))
	}
	p.radios[review.CheckText].SetSelected(verdictText(review.VerdictFail))
	test.Type(p.comments[review.CheckText], "第三段“按装”应为“安装”")
	test.Type(p.reason, "请改正错别字")
	test.Tap(p.buttons[review.ActionReturn])
	confirm()
	wantLastEvent(t, f, e.ID, review.EventReturned, "reviewer")

	// Head: approve an item at the second stage.
	head := syncBackend{f.login("head")}
	m.setBackend(head)
	e = selectAtStage(t, m, review.StageSecond)
	p = m.item.checks
	if !p.discRow.Hidden {
		t.Fatal("the disclosure is decided at the first stage; the head should not see the picker")
	}
	for _, c := range review.Checks {
		p.radios[c].SetSelected(verdictText(review.VerdictPass))
	}
	test.Tap(p.buttons[review.ActionApprove])
	confirm()
	wantLastEventKind(t, f, e.ID, "head", review.EventApproved)

	// Leader: sign off an item at the final stage.
	leader := syncBackend{f.login("leader")}
	m.setBackend(leader)
	e = selectAtStage(t, m, review.StageFinal)
	p = m.item.checks
	if got := p.buttons[review.ActionApprove].Text; got != "签发" {
		t.Fatalf("the leader's action reads %q, want 签发", got)
	}
	for _, c := range review.Checks {
		p.radios[c].SetSelected(verdictText(review.VerdictPass))
	}
	test.Tap(p.buttons[review.ActionApprove])
	confirm()
	wantLastEvent(t, f, e.ID, review.EventSignedOff, "leader")
}

func serverEvents(t *testing.T, f *fixture, id string) []review.Event {
	t.Helper()
	evs, err := f.sess.API().Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func wantLastEvent(t *testing.T, f *fixture, id string, kind review.EventKind, actor string) {
	t.Helper()
	evs := serverEvents(t, f, id)
	if last := evs[len(evs)-1]; last.Kind != kind || last.Actor != actor {
		t.Fatalf("item %s: last event %+v, want %s by %s", id, last, kind, actor)
	}
}

// wantLastEventKind finds the actor's last human event (system events may follow it).
func wantLastEventKind(t *testing.T, f *fixture, id, actor string, kind review.EventKind) {
	t.Helper()
	evs := serverEvents(t, f, id)
	for i := len(evs) - 1; i >= 0; i-- {
		if !evs[i].System {
			if evs[i].Kind != kind || evs[i].Actor != actor {
				t.Fatalf("item %s: last human event %+v, want %s by %s", id, evs[i], kind, actor)
			}
			return
		}
	}
	t.Fatalf("item %s has no human event", id)
}

func TestDemoRolePicker(t *testing.T) {
	f := newFixture(t, "reviewer")
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme())
	inline(t)
	demo := &Demo{Users: []DemoUser{{"reviewer", review.RoleReviewer}, {"head", review.RoleHead}},
		Switch: func(ctx context.Context, username string) (Backend, error) {
			return syncBackend{f.login(username)}, nil
		}}
	m := NewMainWindow(a, syncBackend{f.sess}, Options{Demo: demo, Now: func() time.Time { return testNow }})
	defer m.Window().Close()
	var picker *widget.Select
	walk(t, m.Window().Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && len(s.Options) == 2 && strings.Contains(s.Options[1], "head") {
			picker = s
		}
	})
	if picker == nil || picker.SelectedIndex() != 0 {
		t.Fatal("no demo picker showing the reviewer")
	}
	picker.SetSelectedIndex(1)
	if m.be.User().Username != "head" {
		t.Fatalf("picker did not switch: %s", m.be.User().Username)
	}
	for _, e := range m.queue.all {
		if e.Stage != review.StageSecond {
			t.Fatalf("the head's queue holds an item at %s", e.Stage)
		}
	}
	if len(m.queue.all) == 0 {
		t.Fatal("the head's queue is empty")
	}
}
