package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sanshen/client"
	"sanshen/client/clienttest"
	"sanshen/review"
)

const allPass = "political=pass,legal=pass,policy=pass,secrecy=pass,text=pass"

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	// The command mode speaks Chinese unless the locale is English; the
	// tests expect the default whatever the machine's locale is.
	os.Setenv("LANG", "C.UTF-8")
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_MESSAGES")
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// sanshenBinary builds cmd/sanshen once per test run and returns its path.
func sanshenBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "sanshen-test-bin-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "sanshen")
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		cmd := exec.Command(goTool, "build", "-tags", "migrated_fynedo", "-o", buildBin, "sanshen/cmd/sanshen")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// outboxOf returns `sanshen outbox --json`.
func outboxOf(t *testing.T, dir string) []outboxJSON {
	t.Helper()
	code, out, errs := cli(t, dir, "outbox", "--json")
	if code != 0 {
		t.Fatalf("outbox: %d %s", code, errs)
	}
	var entries []outboxJSON
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("outbox --json: %v\n%s", err, out)
	}
	return entries
}

func TestDecideAcceptedQueuedAndSynced(t *testing.T) {
	ts := clienttest.Start(t)
	ids := ts.Submit(t, "sub", 3)
	dir := signIn(t, ts, "rev")
	mustSync(t, dir)

	// Online: accepted. Flags may follow the ID.
	code, out, errs := cli(t, dir, "decide", ids[0], "--action", "approve", "--verdicts", allPass, "--disclosure", "proactive")
	if code != 0 || !strings.Contains(out, "accepted") {
		t.Fatalf("decide online: %d %s %s", code, out, errs)
	}
	// Offline: queued, exit 0.
	ts.Stop()
	code, out, errs = cli(t, dir, "decide", "--action", "return", ids[1], "--verdicts", strings.Replace(allPass, "text=pass", "text=fail", 1),
		"--reason", "第二段数据有误", "--comment", "text=“清扫”误作“清找”")
	if code != 0 || !strings.Contains(out, "queued") {
		t.Fatalf("decide offline: %d %s %s", code, out, errs)
	}
	entries := outboxOf(t, dir)
	if len(entries) != 2 || entries[0].State != "sent" || entries[1].State != "pending" || entries[1].Item != ids[1] || entries[1].Action != "return" {
		t.Fatalf("outbox: %+v", entries)
	}
	// Offline sync says so and fails.
	code, _, errs = cli(t, dir, "sync")
	if code != 2 || !strings.Contains(errs, "offline") {
		t.Fatalf("sync offline: %d %s", code, errs)
	}
	// Back online: sent once.
	ts.Restart()
	out = mustSync(t, dir)
	if !strings.Contains(out, "1") {
		t.Errorf("summary %q", out)
	}
	for _, id := range ids[:2] {
		if n := ts.Effects(t, id, "rev"); n != 1 {
			t.Errorf("%s: %d effects", id, n)
		}
	}
	mustSync(t, dir)
	if n := ts.Effects(t, ids[1], "rev"); n != 1 {
		t.Errorf("after a second sync: %d effects", n)
	}
	var comment string
	for _, e := range ts.Events(t, ids[1]) {
		if e.Kind == review.EventReturned {
			comment = e.Detail
		}
	}
	if !strings.Contains(comment, "第二段数据有误") {
		t.Errorf("the reason did not reach the server: %q", comment)
	}
	for _, e := range outboxOf(t, dir) {
		if e.State != "sent" {
			t.Errorf("entry %+v", e)
		}
	}
	// The item left the queue.
	code, out, _ = cli(t, dir, "queue", "--json")
	if code != 0 || strings.Contains(out, ids[0]) || strings.Contains(out, ids[1]) || !strings.Contains(out, ids[2]) {
		t.Errorf("queue after decisions: %s", out)
	}
}

func TestDecideRefusals(t *testing.T) {
	ts := clienttest.Start(t)
	ids := ts.Submit(t, "sub", 2)
	own := ts.Submit(t, "both", 1)[0]
	dir := signIn(t, ts, "rev")
	mustSync(t, dir)

	// 409: someone proofread the item after the cache was filled.
	ts.AddVersion(t, "rev2", ids[0], "各区城市管理委员会：\n\n经校对的新正文。\n", review.KindProofread)
	code, _, errs := cli(t, dir, "decide", ids[0], "--action", "approve", "--verdicts", allPass, "--disclosure", "proactive")
	if code != 1 || !strings.Contains(errs, "409") || !strings.Contains(errs, "stale-version") || !strings.Contains(errs, "当前为第 2 版") {
		t.Fatalf("409: %d %s", code, errs)
	}
	entries := outboxOf(t, dir)
	if len(entries) != 1 || entries[0].State != "conflict" || entries[0].Message == "" || entries[0].Version != 1 {
		t.Fatalf("outbox after 409: %+v", entries)
	}
	// The item was refreshed: deciding again goes to version 2.
	code, out, errs := cli(t, dir, "decide", ids[0], "--action", "approve", "--verdicts", allPass, "--disclosure", "proactive", "--json")
	var redo outboxJSON
	if code != 0 || json.Unmarshal([]byte(out), &redo) != nil || redo.Version != 2 || redo.State != "sent" {
		t.Fatalf("redo: %d %s %s", code, out, errs)
	}
	if entries := outboxOf(t, dir); entries[0].SupersededBy != redo.ID {
		t.Errorf("conflict not superseded: %+v", entries[0])
	}

	// 403: "both" may not review their own item.
	bdir := signIn(t, ts, "both")
	code, _, errs = cli(t, bdir, "decide", own, "--action", "approve", "--verdicts", allPass, "--disclosure", "proactive")
	if code != 1 || !strings.Contains(errs, "403") || !strings.Contains(errs, "本人") {
		t.Fatalf("403: %d %s", code, errs)
	}
	if e := outboxOf(t, bdir); len(e) != 1 || e[0].State != "rejected" || !strings.Contains(e[0].Message, "本人") {
		t.Fatalf("outbox after 403: %+v", e)
	}

	// A rule broken in the form of the decision is caught before anything
	// is written when the item is cached: exit 1, the rule named.
	code, _, errs = cli(t, dir, "decide", ids[1], "--action", "approve", "--verdicts", allPass)
	if code != 1 || !strings.Contains(errs, "disclosure-required") || !strings.Contains(errs, "公开属性") {
		t.Fatalf("missing disclosure: %d %s", code, errs)
	}
	if e := outboxOf(t, dir); len(e) != 2 {
		t.Fatalf("a locally refused decision was written: %+v", e)
	}

	// 422 from the server: decided offline with only the queue cached (no
	// local check possible), it is queued; the sync brings the refusal.
	qdir := signIn(t, ts, "rev")
	s, err := client.Open(context.Background(), client.Options{Dir: qdir, QueueOnly: true, Logger: clientOptions(&env{Stderr: os.Stderr}).Logger})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ts.Stop()
	code, out, errs = cli(t, qdir, "decide", ids[1], "--action", "approve", "--verdicts", allPass)
	if code != 0 || !strings.Contains(out, "queued") {
		t.Fatalf("offline decide without the item cached: %d %s %s", code, out, errs)
	}
	ts.Restart()
	code, _, errs = cli(t, qdir, "sync")
	if code != 1 || !strings.Contains(errs, "sanshen outbox") {
		t.Fatalf("sync with a refused decision: %d %s", code, errs)
	}
	e := outboxOf(t, qdir)
	if len(e) != 1 || e[0].State != "rejected" || e[0].Code != "disclosure-required" || !strings.Contains(e[0].Message, "公开属性") {
		t.Fatalf("outbox after 422: %+v", e)
	}
	if n := ts.Effects(t, ids[1], "rev"); n != 0 {
		t.Fatalf("a refused decision had %d effects", n)
	}
	// Usage errors.
	for _, args := range [][]string{
		{"decide", ids[1], "--action", "maybe", "--verdicts", allPass},
		{"decide", ids[1], "--action", "approve", "--verdicts", "political=ok"},
		{"decide", ids[1], "--action", "approve", "--verdicts", allPass, "--disclosure", "public"},
		{"decide", ids[1], "--action", "approve", "--verdicts", allPass, "--comment", "style=nice"},
		{"decide", "--action", "approve"},
		{"decide", ids[1], "--action", "approve"},
		{"decide", ids[1], "--action", "approve", "--verdicts", "political=pass,legal=pass,policy=pass,text=pass"},
	} {
		if code, _, _ := cli(t, qdir, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if _, _, errs := cli(t, qdir, "decide", ids[1], "--action", "approve", "--verdicts", "political=pass"); !strings.Contains(errs, "missing: legal, policy, secrecy, text") {
		t.Errorf("missing verdicts not named: %s", errs)
	}
	if e := outboxOf(t, qdir); len(e) != 1 {
		t.Fatalf("a decision refused for its usage was written: %+v", e)
	}
}

func TestDiffItem(t *testing.T) {
	ts := clienttest.Start(t)
	id := ts.Submit(t, "sub", 1)[0]
	dir := signIn(t, ts, "rev")
	mustSync(t, dir)
	if code, _, errs := cli(t, dir, "diff", id); code != 2 || !strings.Contains(errs, "只有一个版本") && !strings.Contains(errs, "only one version") {
		t.Errorf("diff of a one-version item: %d %s", code, errs)
	}
	ts.AddVersion(t, "rev2", id, "各区城市管理委员会：\n\n为进一步提升城市道路清扫保洁质量（第1批），现将有关事项通知如下。\n一、加强日常巡查和督导。\n二、落实责任分工。\n", review.KindProofread)
	mustSync(t, dir)
	code, out, errs := cli(t, dir, "diff", id, "--color", "never")
	if code != 0 || !strings.Contains(out, "{+和督导+}") || !strings.Contains(out, "v1") || !strings.Contains(out, "v2") {
		t.Fatalf("diff: %d %s %s", code, out, errs)
	}
	code, out, _ = cli(t, dir, "diff", id, "--from", "2", "--to", "1", "--json")
	var res struct {
		Segments []struct{ Op, Text string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("diff --json: %d %s", code, out)
	}
	deleted := ""
	for _, s := range res.Segments {
		if s.Op == "delete" {
			deleted += s.Text
		}
	}
	if deleted != "和督导" {
		t.Errorf("from 2 to 1 deletes %q", deleted)
	}
	if code, _, _ := cli(t, dir, "diff", id, "--from", "7"); code != 2 {
		t.Errorf("diff --from 7: %d", code)
	}
	// Offline, from the cache.
	ts.Stop()
	if code, out, _ := cli(t, dir, "diff", id, "--color=never"); code != 0 || !strings.Contains(out, "督导") {
		t.Errorf("offline diff: %d %s", code, out)
	}
}

// TestDiffItemHTML: an HTML item's versions are compared as the text a
// reviewer reads (markup and scripts gone, as in the window's 差异 tab);
// --raw compares the stored bodies.
func TestDiffItemHTML(t *testing.T) {
	ts := clienttest.Start(t)
	const v1 = "<p>一、加强日常巡查。</p><script>alert('x')</script><p>二、落实责任分工。</p>"
	const v2 = "<p>一、加强日常巡查和督导。</p><script>alert('x')</script><p>二、落实责任分工。</p>"
	id := ts.SubmitBodyAs(t, "sub", "关于加强道路清扫保洁的通知", review.ContentHTML, v1)
	ts.AddVersion(t, "rev2", id, v2, review.KindProofread)
	dir := signIn(t, ts, "rev")
	mustSync(t, dir)
	code, out, errs := cli(t, dir, "diff", id, "--color", "never", "--context", "-1")
	if code != 0 || !strings.Contains(out, "{+和督导+}") || !strings.Contains(out, "二、落实责任分工。") {
		t.Fatalf("diff: %d %s %s", code, out, errs)
	}
	if strings.Contains(out, "<p>") || strings.Contains(out, "alert") {
		t.Errorf("markup or script in the reviewer's diff:\n%s", out)
	}
	code, out, errs = cli(t, dir, "diff", id, "--raw", "--color", "never", "--context", "-1")
	if code != 0 || !strings.Contains(out, "<p>") || !strings.Contains(out, "{+和督导+}") {
		t.Errorf("diff --raw: %d %s %s", code, out, errs)
	}
}

// crashTrials is how many times each crash test kills a subprocess:
// SANSHEN_CRASH_TRIALS, or 20.
func crashTrials(t *testing.T) int {
	if v := os.Getenv("SANSHEN_CRASH_TRIALS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("SANSHEN_CRASH_TRIALS=%q", v)
		}
		return n
	}
	return 20
}

// runKilled starts the sanshen binary and kills it with SIGKILL after delay
// (or lets it finish first). It returns what it printed and whether it
// finished on its own.
func runKilled(t *testing.T, bin string, delay time.Duration, args ...string) (stdout string, finished bool) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8")
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return out.String(), true
	case <-time.After(delay):
		cmd.Process.Kill() // SIGKILL
		<-done
		return out.String(), false
	}
}

// timed runs the binary to completion and returns how long it took.
func timed(t *testing.T, bin string, args ...string) time.Duration {
	t.Helper()
	start := time.Now()
	if _, ok := runKilled(t, bin, time.Minute, args...); !ok {
		t.Fatalf("%v did not finish", args)
	}
	return time.Since(start)
}

// TestCrashDecideAndSync kills `sanshen decide` and `sanshen sync` with
// SIGKILL at random moments. After a restart and a sync, every decision has
// exactly one effect on the server (none if it never reached the outbox),
// none is lost, and a decision reported accepted or queued is in the outbox.
func TestCrashDecideAndSync(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills subprocesses")
	}
	bin := sanshenBinary(t)
	trials := crashTrials(t)
	seed := time.Now().UnixNano()
	t.Logf("%d trials of each; seed %d", trials, seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	ts := clienttest.Start(t)
	const perSync = 2
	ids := ts.Submit(t, "sub", trials*(1+perSync)+2)
	dir := signIn(t, ts, "rev")
	mustSync(t, dir)
	ctx := context.Background()
	opts := client.Options{Dir: dir, Logger: clientOptions(&env{Stderr: os.Stderr}).Logger,
		HTTP: client.HTTPConfig{RetryWait: time.Millisecond, RetryMaxWait: 5 * time.Millisecond, ConnectTimeout: time.Second}}
	// recover is "restart and sync": a new process opens the cache and syncs.
	recoverAndSync := func() {
		t.Helper()
		s, err := client.Open(ctx, opts)
		if err != nil {
			t.Fatalf("open after kill: %v", err)
		}
		defer s.Close()
		if _, err := s.Sync(ctx); err != nil {
			t.Fatalf("sync after kill: %v", err)
		}
	}
	decideArgs := func(id string) []string {
		return []string{"--config-dir", dir, "decide", id, "--action", "approve", "--verdicts", allPass, "--disclosure", "proactive"}
	}
	// How long a whole run takes, to spread the kills over it.
	decideTime := timed(t, bin, decideArgs(ids[len(ids)-1])...)
	syncTime := timed(t, bin, "--config-dir", dir, "sync")
	t.Logf("a decide takes %v, a sync %v", decideTime, syncTime)

	next := 0
	take := func() string { next++; return ids[next-1] }
	var killed, finished int
	check := func(id string, mustExist bool) {
		t.Helper()
		var entry *outboxJSON
		for _, e := range outboxOf(t, dir) {
			if e.Item == id {
				if entry != nil {
					t.Fatalf("item %s has two outbox entries", id)
				}
				e := e
				entry = &e
			}
		}
		effects := ts.Effects(t, id, "rev")
		switch {
		case entry == nil && mustExist:
			t.Fatalf("item %s: a decision reported made is not in the outbox", id)
		case entry == nil && effects != 0:
			t.Fatalf("item %s: %d effects without an outbox entry", id, effects)
		case entry != nil && (entry.State != "sent" || effects != 1):
			t.Fatalf("item %s: outbox %s, %d effects on the server", id, entry.State, effects)
		}
	}
	for i := 0; i < trials; i++ {
		// A decide killed at a random moment.
		id := take()
		out, ok := runKilled(t, bin, time.Duration(rng.Int64N(int64(decideTime*12/10)+1)), decideArgs(id)...)
		if ok {
			finished++
		} else {
			killed++
		}
		recoverAndSync()
		check(id, strings.Contains(out, "accepted") || strings.Contains(out, "queued"))

		// A sync killed while it sends decisions made offline.
		ts.Stop()
		batch := []string{take(), take()}
		s, err := client.Open(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, bid := range batch {
			if e, err := s.Decide(ctx, bid, review.Decision{Action: review.ActionApprove, Verdicts: passAllVerdicts(),
				Disclosure: review.DisclosureOnRequest}); err != nil || e.State != client.OutboxPending {
				t.Fatalf("offline decide: %+v %v", e, err)
			}
		}
		s.Close()
		ts.Restart()
		if _, ok := runKilled(t, bin, time.Duration(rng.Int64N(int64(syncTime*12/10)+1)), "--config-dir", dir, "sync"); ok {
			finished++
		} else {
			killed++
		}
		recoverAndSync()
		for _, bid := range batch {
			check(bid, true)
		}
	}
	t.Logf("%d runs killed, %d finished before the kill", killed, finished)
	if killed == 0 {
		t.Error("no run was killed: the kill window is wrong")
	}
}

func passAllVerdicts() review.Verdicts {
	v := review.Verdicts{}
	for _, c := range review.Checks {
		v[c] = review.CheckResult{Verdict: review.VerdictPass}
	}
	return v
}
