package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"sanshen/client"
	"sanshen/review"
	"sanshen/review/textdiff"
)

const (
	pairOld = "第一条　为加强本市市容管理，制定本办法。\n第二条　本办法适用于全市城市道路。\n第三条　市城市管理委负责组织实施。"
	pairNew = "第一条　为加强本市市容管理，制定本办法。\n第二条　本办法适用于本市城市道路和公共广场。\n第三条　市城市管理委负责组织实施。"
)

// makeTwoVersions submits pairOld, returns it as reviewer and resubmits
// pairNew, through the real server; it returns the item id.
func makeTwoVersions(t *testing.T, f *fixture) string {
	return makeVersions(t, f, pairOld, pairNew)
}

// makeVersions submits the first body, then for each next body returns the
// item as reviewer and resubmits it with that body, through the real server;
// it returns the item id.
func makeVersions(t *testing.T, f *fixture, bodies ...string) string {
	t.Helper()
	ctx := context.Background()
	sub := f.login("submitter")
	it, err := sub.API().CreateItem(ctx, client.NewItem{Title: "城市道路管理办法（征求意见稿）", Column: "政策文件", Body: bodies[0], ContentType: review.ContentPlain})
	if err != nil {
		t.Fatal(err)
	}
	v := review.Verdicts{}
	for _, c := range review.Checks {
		v[c] = review.CheckResult{Verdict: review.VerdictPass}
	}
	v[review.CheckText] = review.CheckResult{Verdict: review.VerdictFail, Comment: "适用范围不清"}
	for _, body := range bodies[1:] {
		cur, _ := it.Current()
		if _, err := f.sess.API().PostDecision(ctx, it.ID, review.Decision{ID: uuid.NewString(), Stage: review.StageFirst, Version: cur.Number,
			SHA256: cur.SHA256, Action: review.ActionReturn, Verdicts: v, Reason: "请明确适用范围"}); err != nil {
			t.Fatal(err)
		}
		if it, err = sub.API().AddVersion(ctx, it.ID, body, review.KindSubmission); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.sess.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return it.ID
}

func TestDiffTabShowsSegments(t *testing.T) {
	f := newFixture(t, "reviewer")
	id := makeTwoVersions(t, f)
	m := newTestWindow(t, syncBackend{f.sess})
	i := m.queue.indexOf(id)
	if i < 0 {
		t.Fatal("the resubmitted item is not in the reviewer's queue")
	}
	m.queue.list.Select(i)
	d := m.item.diff
	if d.result == nil {
		t.Fatalf("no diff shown: %q", d.summary.Text)
	}
	got := d.inline.text()
	// What the reviewer must read: the two edits, marked without colour.
	for _, want := range []string{"[-全-]{+本+}市城市道路{+和公共广场+}。", "第一条　为加强本市市容管理，制定本办法。"} {
		if !strings.Contains(got, want) {
			t.Fatalf("inline diff lacks %q:\n%s", want, got)
		}
	}
	// And exactly the engine's segments, in order.
	res := textdiff.Diff(context.Background(), pairOld, pairNew, textdiff.Options{})
	var want strings.Builder
	for _, s := range res.Segments {
		switch s.Op {
		case textdiff.OpInsert:
			want.WriteString("{+" + s.Text + "+}")
		case textdiff.OpDelete:
			want.WriteString("[-" + s.Text + "-]")
		default:
			want.WriteString(s.Text)
		}
	}
	if got != want.String() {
		t.Fatalf("inline diff\n%s\nwant\n%s", got, want.String())
	}
	if !strings.Contains(d.summary.Text, "2") {
		t.Fatalf("summary lacks counts: %q", d.summary.Text)
	}
	// Side by side: the changed line faces its old self.
	d.mode.SetSelected(tr("diff.side", "Side by side"))
	side := d.side.describe()
	if !strings.Contains(side, "第二条　本办法适用于[-全-]市城市道路。 | 第二条　本办法适用于{+本+}市城市道路{+和公共广场+}。") {
		t.Fatalf("side by side:\n%s", side)
	}
	// n jumps to the first change, in the side-by-side view.
	m.typedRune('n')
	if d.at != 0 || m.item.tabs.SelectedIndex() != 1 {
		t.Fatalf("n went to change %d on tab %d", d.at, m.item.tabs.SelectedIndex())
	}
	m.typedRune('n')
	m.typedRune('n')
	if d.at != len(d.changes)-1 {
		t.Fatalf("n past the end went to %d of %d", d.at, len(d.changes))
	}
	m.typedRune('p')
	if d.at != len(d.changes)-2 {
		t.Fatalf("p went to %d", d.at)
	}
}

// TestDiffSurvivesReload: a sync reloads the item on screen; the diff, the
// chosen base and the change in view stay (nothing is diffed again).
func TestDiffSurvivesReload(t *testing.T) {
	f := newFixture(t, "reviewer")
	id := makeVersions(t, f, pairOld, pairNew, strings.Replace(pairNew, "组织实施", "组织实施和监督检查", 1))
	m := newTestWindow(t, syncBackend{f.sess})
	m.queue.list.Select(m.queue.indexOf(id))
	d := m.item.diff
	if len(d.base.Options) < 2 {
		t.Fatalf("bases offered: %q, want the previous version and version 1", d.base.Options)
	}
	d.base.SetSelectedIndex(1) // not the default base
	m.typedRune('n')
	res, at, base := d.result, d.at, d.base.Selected
	if res == nil || at != 0 || base != d.base.Options[1] {
		t.Fatalf("before the reload: result %v, change %d, base %q", res != nil, at, base)
	}
	m.item.reloadIfShown()
	if d.result != res || d.at != at || d.base.Selected != base {
		t.Fatalf("the reload reset the diff: same result %v, change %d (was %d), base %q (was %q)", d.result == res, d.at, at, d.base.Selected, base)
	}
	// After a failed diff, a reload diffs again against the chosen base.
	d.result = nil
	m.item.reloadIfShown()
	if d.result == nil || d.base.Selected != base {
		t.Fatalf("the reload after a failed diff: result %v, base %q (was %q)", d.result != nil, d.base.Selected, base)
	}
}
