package client

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sanshen/review"
)

func TestLoginSyncAndReadFromCache(t *testing.T) {
	ts := newTestServer(t)
	ids := ts.submit(t, 5)
	ctx := context.Background()
	s := ts.login(t, "rev", testOptions(t))
	if s.User().Username != "rev" || !s.User().Has(review.RoleReviewer) {
		t.Fatalf("user = %+v", s.User())
	}
	rep, err := s.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Full || rep.Queue != 5 || rep.Fetched != 5 || rep.Bodies != 5 || rep.FetchErrs != 0 {
		t.Fatalf("report = %+v", rep)
	}
	q, err := s.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range q {
		got = append(got, e.ID)
		if !e.Cached || e.Stage != review.StageFirst || e.Version != 1 || len(e.SHA256) != 64 || e.Outbox != "" {
			t.Errorf("queue entry %+v", e)
		}
	}
	slices.Sort(got)
	want := slices.Clone(ids)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("queue %v, want %v", got, want)
	}

	// Everything opens with the server gone.
	ts.stop()
	d, err := s.Item(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if d.Submitter != "sub" || len(d.Versions) != 1 || len(d.Events) == 0 || !slices.Equal(d.CachedBodies, []int{1}) {
		t.Fatalf("detail = %+v", d)
	}
	if d.Events[0].Kind != review.EventSubmitted {
		t.Errorf("first event %+v", d.Events[0])
	}
	b, err := s.Body(ctx, ids[0], 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, sum, _ := review.Hash(b.Body); sum != d.Versions[0].SHA256 || b.Body == "" {
		t.Fatalf("body %q does not match its hash", b.Body)
	}
	if _, err := s.Body(ctx, ids[0], 2); !errors.Is(err, ErrNotCached) {
		t.Fatalf("body of a version that is not cached, offline: %v", err)
	}
}

func TestIncrementalSync(t *testing.T) {
	ts := newTestServer(t)
	ids := ts.submit(t, 3)
	ctx := context.Background()
	s := ts.login(t, "rev", testOptions(t))
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// Another reviewer takes one item out of the queue; a new one comes in.
	other := ts.login(t, "rev2", testOptions(t))
	if _, err := other.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if e, err := other.Decide(ctx, ids[1], approveFirst()); err != nil || e.State != OutboxSent {
		t.Fatalf("rev2 decides: %+v %v", e, err)
	}
	fresh := ts.submit(t, 1)[0]

	rep, err := s.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Full || rep.Removed != 1 || rep.Changed != 1 || rep.Queue != 3 || rep.Fetched != 1 {
		t.Fatalf("incremental report = %+v", rep)
	}
	q, _ := s.Queue(ctx)
	var got []string
	for _, e := range q {
		got = append(got, e.ID)
	}
	if slices.Contains(got, ids[1]) || !slices.Contains(got, fresh) || len(got) != 3 {
		t.Fatalf("queue after incremental sync: %v", got)
	}
	// Nothing changed: nothing fetched.
	rep, err = s.Sync(ctx)
	if err != nil || rep.Changed != 0 || rep.Removed != 0 || rep.Fetched != 0 || rep.Bodies != 0 || rep.Pruned != 0 {
		t.Fatalf("idle sync = %+v, %v", rep, err)
	}
	if _, err := s.Item(ctx, ids[1]); err != nil {
		t.Fatalf("an item that left the queue is gone at once: %v", err)
	}
	// A month later, the item that left the queue leaves the cache.
	s.opts.Now = func() time.Time { return time.Now().Add(KeepItems + time.Hour) }
	rep, err = s.Sync(ctx)
	if err != nil || rep.Pruned != 1 {
		t.Fatalf("sync a month later = %+v, %v", rep, err)
	}
	if _, err := s.Item(ctx, ids[1]); !errors.Is(err, ErrNotCached) {
		t.Fatalf("pruned item: %v", err)
	}
	if _, err := s.Item(ctx, fresh); err != nil {
		t.Fatalf("a queued item was pruned: %v", err)
	}
}

func TestDecideOnlineActsOnce(t *testing.T) {
	ts := newTestServer(t)
	ids := ts.submit(t, 2)
	ctx := context.Background()
	s := ts.login(t, "rev", testOptions(t))
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// A draft saved while typing goes when the decision is made.
	if err := s.SaveDraft(ctx, Draft{ItemID: ids[0], Version: 1, Action: review.ActionApprove, Reason: "typing"}); err != nil {
		t.Fatal(err)
	}
	e, err := s.Decide(ctx, ids[0], approveFirst())
	if err != nil {
		t.Fatal(err)
	}
	if e.State != OutboxSent || e.Decision.Stage != review.StageFirst || e.Decision.Version != 1 || e.ItemTitle == "" {
		t.Fatalf("entry = %+v", e)
	}
	if _, ok, _ := s.Draft(ctx, ids[0], 1); ok {
		t.Error("the draft of the decided version is still there")
	}
	if n := ts.effects(t, ids[0], "rev"); n != 1 {
		t.Fatalf("server effects = %d", n)
	}
	// The item left the cached queue at once, and its cached state moved on.
	q, _ := s.Queue(ctx)
	if len(q) != 1 || q[0].ID != ids[1] {
		t.Fatalf("queue = %+v", q)
	}
	d, err := s.Item(ctx, ids[0])
	if err != nil || d.Stage != review.StageSecond || !d.Stale || len(d.Outbox) != 1 {
		t.Fatalf("item after decision: stage %s stale %v outbox %d, %v", d.Stage, d.Stale, len(d.Outbox), err)
	}
	// Sending the same decision again (a retry after a lost reply) acts no more.
	rep, err := s.api.PostDecision(ctx, ids[0], e.Decision)
	if err != nil || rep.Created {
		t.Fatalf("repeat: %+v %v", rep, err)
	}
	if n := ts.effects(t, ids[0], "rev"); n != 1 {
		t.Fatalf("server effects after a repeat = %d", n)
	}
	// A second decision on the same item while one is pending is refused locally.
	ts.stop()
	if e, err := s.Decide(ctx, ids[1], approveFirst()); err != nil || e.State != OutboxPending {
		t.Fatalf("offline decide: %+v %v", e, err)
	}
	if _, err := s.Decide(ctx, ids[1], approveFirst()); !errors.Is(err, ErrAlreadyPending) {
		t.Fatalf("second pending decision: %v", err)
	}
}

func TestOfflineDecideThenSyncActsOnce(t *testing.T) {
	ts := newTestServer(t)
	ids := ts.submit(t, 3)
	ctx := context.Background()
	opts := testOptions(t)
	s := ts.login(t, "rev", opts)
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var states []SyncState
	cancel := s.Subscribe(func(st SyncState) {
		mu.Lock()
		states = append(states, st)
		mu.Unlock()
	})
	defer cancel()

	ts.stop()
	ret := review.Decision{Action: review.ActionReturn, Verdicts: passAll(), Reason: "第二段数据有误，请核实后重新提交"}
	ret.Verdicts[review.CheckText] = review.CheckResult{Verdict: review.VerdictFail, Comment: "“清扫”误作“清找”"}
	decisions := map[string]review.Decision{ids[0]: approveFirst(), ids[2]: ret}
	for id, d := range decisions {
		e, err := s.Decide(ctx, id, d)
		if err != nil {
			t.Fatal(err)
		}
		if e.State != OutboxPending || e.LastError == "" || e.Attempts != 1 {
			t.Fatalf("offline decision = %+v", e)
		}
	}
	if st := s.State(); st.Online || st.Pending != 2 {
		t.Fatalf("state offline = %+v", st)
	}
	if _, err := s.Sync(ctx); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("sync offline: %v", err)
	}
	// The app closes and opens again while offline: the outbox is still there.
	s.Close()
	s2, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if st := s2.State(); st.Pending != 2 {
		t.Fatalf("pending after reopening = %d", st.Pending)
	}

	ts.start()
	rep, err := s2.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Send.Sent != 2 || rep.Pending != 0 {
		t.Fatalf("sync report = %+v", rep)
	}
	for id := range decisions {
		if n := ts.effects(t, id, "rev"); n != 1 {
			t.Errorf("item %s: %d effects on the server", id, n)
		}
	}
	// Sync again: nothing is sent twice.
	if rep, err := s2.Sync(ctx); err != nil || rep.Send.Sent != 0 {
		t.Fatalf("second sync %+v %v", rep, err)
	}
	for id := range decisions {
		if n := ts.effects(t, id, "rev"); n != 1 {
			t.Errorf("item %s: %d effects after a second sync", id, n)
		}
	}
	out, _ := s2.Outbox(ctx)
	for _, e := range out {
		if e.State != OutboxSent || e.SentAt.IsZero() {
			t.Errorf("outbox entry %+v", e)
		}
	}
	// The returned item's comment travelled with it.
	d, err := s2.Item(ctx, ids[2])
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != review.StatusReturned {
		t.Errorf("returned item status %s", d.Status)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(states) == 0 || !slices.ContainsFunc(states, func(st SyncState) bool { return !st.Online && st.Pending > 0 }) {
		t.Errorf("subscriber never saw the offline state: %+v", states)
	}
}

func TestConflictKeepsDecisionAndMakesDraft(t *testing.T) {
	ts := newTestServer(t)
	id := ts.submit(t, 1)[0]
	ctx := context.Background()
	s := ts.login(t, "rev", testOptions(t))
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// rev2 proofreads the item: version 2 replaces the one rev has cached.
	ts.AddVersion(t, "rev2", id, "各区城市管理委员会：\n\n校对后的正文。\n", review.KindProofread)
	d := approveFirst()
	d.Verdicts[review.CheckPolicy] = review.CheckResult{Verdict: review.VerdictPass, Comment: "符合《城市市容和环境卫生管理条例》"}
	e, err := s.Decide(ctx, id, d)
	if err != nil {
		t.Fatal(err)
	}
	if e.State != OutboxConflict || e.HTTPStatus != 409 || e.Code == "" || e.Message == "" {
		t.Fatalf("entry = %+v", e)
	}
	if n := ts.effects(t, id, "rev"); n != 0 {
		t.Fatalf("a refused decision had %d effects", n)
	}
	// Kept, with its comment.
	kept, err := s.OutboxEntry(ctx, e.ID)
	if err != nil || kept.State != OutboxConflict || kept.Decision.Verdicts[review.CheckPolicy].Comment == "" || !kept.Open() {
		t.Fatalf("kept = %+v %v", kept, err)
	}
	// The item was refreshed and a draft waits on version 2.
	it, err := s.Item(ctx, id)
	if err != nil || len(it.Versions) != 2 || !slices.Contains(it.CachedBodies, 2) {
		t.Fatalf("refreshed item: %d versions, bodies %v, %v", len(it.Versions), it.CachedBodies, err)
	}
	dr, ok, err := s.Draft(ctx, id, 2)
	if err != nil || !ok || dr.FromDecision != e.ID || dr.Verdicts[review.CheckPolicy].Comment != d.Verdicts[review.CheckPolicy].Comment {
		t.Fatalf("draft = %+v %v %v", dr, ok, err)
	}
	if st := s.State(); st.Refused != 1 {
		t.Errorf("state.Refused = %d", st.Refused)
	}
	// Redo it on the new version: the conflict is superseded.
	e2, err := s.Decide(ctx, id, dr.Decision())
	if err == nil {
		// dr.Decision names version 2 but no stage/hash: Decide refuses that form.
		t.Fatalf("a decision naming a version without its hash was taken: %+v", e2)
	}
	e2, err = s.Decide(ctx, id, review.Decision{Action: dr.Action, Verdicts: dr.Verdicts, Disclosure: dr.Disclosure})
	if err != nil || e2.State != OutboxSent || e2.Decision.Version != 2 {
		t.Fatalf("redo = %+v %v", e2, err)
	}
	old, _ := s.OutboxEntry(ctx, e.ID)
	if old.SupersededBy != e2.ID || old.Open() {
		t.Errorf("old entry = %+v", old)
	}
	if n := ts.effects(t, id, "rev"); n != 1 {
		t.Fatalf("effects after redo = %d", n)
	}
}

func TestForbiddenAndInvalidAreKeptWithServerMessage(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	own := ts.submitAs(t, "both", 1)[0]
	other := ts.submit(t, 1)[0]

	// "both" holds the reviewer role but may not review their own item. The
	// server's queue leaves it out, so it is fetched on purpose.
	s := ts.login(t, "both", testOptions(t))
	if _, err := s.FetchItem(ctx, own); err != nil {
		t.Fatal(err)
	}
	e, err := s.Decide(ctx, own, approveFirst())
	if err != nil {
		t.Fatal(err)
	}
	if e.State != OutboxRejected || e.HTTPStatus != 403 || e.Code != "own-submission" || e.Message == "" {
		t.Fatalf("403 entry = %+v", e)
	}
	if !containsAny(e.Message, "本人", "own") {
		t.Errorf("message %q is not the server's", e.Message)
	}

	// A 422 from the server: with only the queue cached (QueueOnly), the
	// local check cannot run and the server says what is wrong.
	opts := testOptions(t)
	opts.QueueOnly = true
	r := ts.login(t, "rev", opts)
	if _, err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Item(ctx, other); !errors.Is(err, ErrNotCached) {
		t.Fatalf("QueueOnly fetched the item: %v", err)
	}
	noDisclosure := review.Decision{Action: review.ActionApprove, Verdicts: passAll()}
	e, err = r.Decide(ctx, other, noDisclosure)
	if err != nil {
		t.Fatal(err)
	}
	if e.State != OutboxRejected || e.HTTPStatus != 422 || e.Code != "disclosure-required" || !containsAny(e.Message, "公开属性") {
		t.Fatalf("422 entry = %+v", e)
	}
	all, _ := r.Outbox(ctx)
	if len(all) != 1 || all[0].ID != e.ID {
		t.Fatalf("outbox = %+v", all)
	}
	if n := ts.effects(t, other, "rev"); n != 0 {
		t.Fatalf("refused decision had %d effects", n)
	}

	// With the item cached, the same mistake is caught before anything is
	// written, offline too.
	if d, err := r.FetchItem(ctx, other); err != nil || !slices.Equal(d.CachedBodies, []int{1}) {
		t.Fatalf("fetched item: bodies %v, %v", d.CachedBodies, err)
	}
	ts.stop()
	_, err = r.Decide(ctx, other, noDisclosure)
	if re, ok := review.AsRuleError(err); !ok || re.Rule != "disclosure-required" {
		t.Fatalf("local check: %v", err)
	}
	if all2, _ := r.Outbox(ctx); len(all2) != 1 {
		t.Fatalf("a locally refused decision was written: %d entries", len(all2))
	}
}

func TestExpiredTokenKeepsDecisionPending(t *testing.T) {
	ts := newTestServer(t)
	id := ts.submit(t, 1)[0]
	ctx := context.Background()
	opts := testOptions(t)
	s := ts.login(t, "rev", opts)
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// The server forgets the token (signed out elsewhere).
	if err := s.api.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	e, err := s.Decide(ctx, id, approveFirst())
	if err != nil {
		t.Fatal(err)
	}
	if e.State != OutboxPending {
		t.Fatalf("entry = %+v", e)
	}
	if st := s.State(); !st.NeedSignIn {
		t.Fatalf("state = %+v", st)
	}
	if _, err := s.Sync(ctx); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("sync with a dead token: %v", err)
	}
	s.Close()
	// Signing in again to the same server as the same user finds the outbox.
	s2 := ts.login(t, "rev", opts)
	if st := s2.State(); st.Pending != 1 || st.NeedSignIn {
		t.Fatalf("after sign-in: %+v", st)
	}
	if rep, err := s2.Sync(ctx); err != nil || rep.Send.Sent != 1 {
		t.Fatalf("sync: %+v %v", rep, err)
	}
	if n := ts.effects(t, id, "rev"); n != 1 {
		t.Fatalf("effects = %d", n)
	}
}

func TestLogout(t *testing.T) {
	ts := newTestServer(t)
	id := ts.submit(t, 1)[0]
	ctx := context.Background()
	opts := testOptions(t)
	s := ts.login(t, "rev", opts)
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	path := s.CachePath()
	ts.stop()
	if _, err := s.Decide(ctx, id, approveFirst()); err != nil {
		t.Fatal(err)
	}
	// A pending decision is never thrown away without being asked.
	if err := s.Logout(ctx, LogoutOptions{}); !errors.Is(err, ErrPendingDecisions) {
		t.Fatalf("logout with a pending decision: %v", err)
	}
	// Keeping the cache signs out and leaves the file.
	if err := s.Logout(ctx, LogoutOptions{KeepCache: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("kept cache: %v", err)
	}
	if _, err := Open(ctx, opts); !errors.Is(err, ErrNoSession) {
		t.Fatalf("open after logout: %v", err)
	}
	// Back online, sign in: the kept decision goes out; then a plain logout purges.
	ts.start()
	s2 := ts.login(t, "rev", opts)
	if _, err := s2.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if n := ts.effects(t, id, "rev"); n != 1 {
		t.Fatalf("effects = %d", n)
	}
	if err := s2.Logout(ctx, LogoutOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", filepath.Join(opts.Dir, sessionFileName)} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there after logout: %v", p, err)
		}
	}
}

func TestBackgroundSyncAndSubscribe(t *testing.T) {
	ts := newTestServer(t)
	ts.submit(t, 2)
	ctx := context.Background()
	opts := testOptions(t)
	opts.SyncInterval = time.Hour
	s := ts.login(t, "rev", opts)
	synced := make(chan SyncState, 100)
	cancel := s.Subscribe(func(st SyncState) {
		if !st.Syncing && !st.LastSync.IsZero() {
			select {
			case synced <- st:
			default:
			}
		}
	})
	s.Start(ctx)
	select {
	case st := <-synced:
		if !st.Online || st.Err != nil {
			t.Fatalf("state after the first background sync: %+v", st)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the background sync did not run at start")
	}
	q, _ := s.Queue(ctx)
	if len(q) != 2 {
		t.Fatalf("queue = %d", len(q))
	}
	// On demand.
	for len(synced) > 0 {
		<-synced
	}
	ts.submit(t, 1)
	s.SyncNow()
	deadline := time.After(20 * time.Second)
	for {
		q, _ = s.Queue(ctx)
		if len(q) == 3 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("SyncNow did not bring the new item")
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestDrafts(t *testing.T) {
	ts := newTestServer(t)
	id := ts.submit(t, 1)[0]
	ctx := context.Background()
	opts := testOptions(t)
	s := ts.login(t, "rev", opts)
	dr := Draft{ItemID: id, Version: 1, Action: review.ActionReturn, Verdicts: review.Verdicts{
		review.CheckText: {Verdict: review.VerdictFail, Comment: "第三行“的”“地”误用"}}, Reason: "请修改后重新提交"}
	if err := s.SaveDraft(ctx, dr); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, Draft{ItemID: id}); err == nil {
		t.Error("a draft without a version was saved")
	}
	// Closing the app loses nothing.
	s.Close()
	s2, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, ok, err := s2.Draft(ctx, id, 1)
	if err != nil || !ok || got.Reason != dr.Reason || got.Verdicts[review.CheckText].Comment != dr.Verdicts[review.CheckText].Comment || got.UpdatedAt.IsZero() {
		t.Fatalf("draft = %+v %v %v", got, ok, err)
	}
	if err := s2.DeleteDraft(ctx, id, 1); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s2.Draft(ctx, id, 1); ok {
		t.Fatal("deleted draft still there")
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
