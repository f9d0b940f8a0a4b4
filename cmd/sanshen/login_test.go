package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"sanshen/client/clienttest"
)

// The command-mode tests run the real server in-process on loopback
// (package clienttest) and the commands in-process through run, each with
// its own config directory and cache file.

// cli runs `sanshen --config-dir dir args…` in-process.
func cli(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return cliIn(t, dir, "", args...)
}

// cliIn is cli with stdin.
func cliIn(t *testing.T, dir, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"--config-dir", dir}, args...),
		&env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// signIn logs user in to ts with a fresh config dir and returns the dir.
func signIn(t *testing.T, ts *clienttest.Server, user string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cfg")
	t.Setenv("SANSHEN_PASSWORD", clienttest.Password)
	code, out, errs := cli(t, dir, "login", "--server", ts.URL, "--user", user)
	if code != 0 || !strings.Contains(out, user) {
		t.Fatalf("login %s: exit %d\n%s%s", user, code, out, errs)
	}
	return dir
}

// mustSync runs `sanshen sync` and fails the test unless it succeeds.
func mustSync(t *testing.T, dir string) string {
	t.Helper()
	code, out, errs := cli(t, dir, "sync")
	if code != 0 {
		t.Fatalf("sync: exit %d\n%s%s", code, out, errs)
	}
	return out
}

// jsonKeys returns the sorted keys of a JSON object.
func jsonKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func hasKeys(t *testing.T, raw json.RawMessage, want ...string) {
	t.Helper()
	keys := jsonKeys(t, raw)
	for _, k := range want {
		if !slices.Contains(keys, k) {
			t.Errorf("JSON %s lacks %q", raw, k)
		}
	}
}

func TestLoginSyncQueueShow(t *testing.T) {
	ts := clienttest.Start(t)
	ids := ts.Submit(t, "sub", 3)
	dir := signIn(t, ts, "rev")
	// The session and cache are owner-only.
	for _, p := range []string{dir, filepath.Join(dir, "session.json")} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %o", p, fi.Mode().Perm())
		}
	}
	out := mustSync(t, dir)
	if !strings.Contains(out, "3") {
		t.Errorf("sync summary %q", out)
	}
	if n := strings.Count(strings.TrimSpace(out), "\n"); n != 0 {
		t.Errorf("sync summary is %d lines: %q", n+1, out)
	}

	code, out, errs := cli(t, dir, "queue", "--json")
	if code != 0 {
		t.Fatalf("queue: %d %s", code, errs)
	}
	var q []json.RawMessage
	if err := json.Unmarshal([]byte(out), &q); err != nil || len(q) != 3 {
		t.Fatalf("queue --json: %v %s", err, out)
	}
	var got []string
	for _, raw := range q {
		hasKeys(t, raw, "id", "title", "column", "stage", "version", "sha256")
		var e struct {
			ID, Title, Column, Stage, SHA256 string
			Version                          int
		}
		json.Unmarshal(raw, &e)
		if e.Stage != "first" || e.Version != 1 || len(e.SHA256) != 64 || e.Column != clienttest.Column || e.Title == "" {
			t.Errorf("queue entry %s", raw)
		}
		got = append(got, e.ID)
	}
	slices.Sort(got)
	want := slices.Clone(ids)
	slices.Sort(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("queue ids %v, want %v", got, want)
	}
	code, out, _ = cli(t, dir, "queue")
	if code != 0 || !strings.Contains(out, ids[0]) || !strings.Contains(out, "第1批") {
		t.Errorf("queue text: %d %s", code, out)
	}

	// show, from the cache, offline, with the pre-checks' findings.
	planted := ts.SubmitBody(t, "sub", "拟聘用人员公示", "张三，身份证号120101198506123215，拟聘用为工程师。\n")
	mustSync(t, dir)
	ts.Stop()
	code, out, errs = cli(t, dir, "show", planted)
	if code != 0 || !strings.Contains(out, "secrecy.id-card") || !strings.Contains(out, "120101198506123215") {
		t.Errorf("show with a planted ID number: %d\n%s%s", code, out, errs)
	}
	code, out, errs = cli(t, dir, "show", ids[0], "--json")
	if code != 0 {
		t.Fatalf("show --json: %d %s", code, errs)
	}
	hasKeys(t, json.RawMessage(out), "id", "title", "stage", "status", "version", "sha256", "versions", "approvals", "events", "body", "outbox", "findings")
	var shown struct {
		ID     string
		Status string
		Body   struct{ Text string }
		Events []struct{ Kind string }
	}
	json.Unmarshal([]byte(out), &shown)
	if shown.ID != ids[0] || shown.Status != "in_review" || !strings.Contains(shown.Body.Text, "清扫保洁") || len(shown.Events) == 0 {
		t.Errorf("show --json: %+v", shown)
	}
	code, out, _ = cli(t, dir, "show", ids[0])
	if code != 0 || !strings.Contains(out, "清扫保洁") || !strings.Contains(out, ids[0]) {
		t.Errorf("show: %d %s", code, out)
	}
	code, _, errs = cli(t, dir, "show", "no-such-item")
	if code == 0 || !strings.Contains(errs, "no-such-item") {
		t.Errorf("show of an unknown item offline: %d %s", code, errs)
	}
	code, out, _ = cli(t, dir, "outbox", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("empty outbox --json: %d %q", code, out)
	}
}

func TestLoginErrors(t *testing.T) {
	ts := clienttest.Start(t)
	dir := filepath.Join(t.TempDir(), "cfg")
	t.Setenv("SANSHEN_PASSWORD", "wrong password")
	code, _, errs := cli(t, dir, "login", "--server", ts.URL, "--user", "rev")
	if code != 1 || !strings.Contains(errs, "用户名或密码错误") {
		t.Errorf("wrong password: %d %s", code, errs)
	}
	// Without SANSHEN_PASSWORD and without a terminal, the password is read
	// from stdin.
	os.Unsetenv("SANSHEN_PASSWORD")
	code, out, errs := cliIn(t, dir, clienttest.Password+"\n", "login", "--user", "rev", "--server", ts.URL)
	if code != 0 || !strings.Contains(out, "rev") {
		t.Errorf("password on stdin: %d %s %s", code, out, errs)
	}
	if code, _, _ := cli(t, dir, "login", "--server", ts.URL); code != 2 {
		t.Errorf("login without --user: %d", code)
	}
	// Not signed in.
	other := filepath.Join(t.TempDir(), "none")
	for _, c := range [][]string{{"sync"}, {"queue"}, {"outbox"}, {"show", "x"}, {"decide", "x", "--action", "approve", "--verdicts", "political=pass,legal=pass,policy=pass,secrecy=pass,text=pass"}} {
		code, _, errs := cli(t, other, c...)
		if code != 2 || !strings.Contains(errs, "sanshen login") {
			t.Errorf("%v without a session: %d %s", c, code, errs)
		}
	}
	// A server that is not there.
	t.Setenv("SANSHEN_PASSWORD", clienttest.Password)
	ts.Stop()
	code, _, errs = cli(t, filepath.Join(t.TempDir(), "c2"), "login", "--server", ts.URL, "--user", "rev")
	if code != 2 || !strings.Contains(errs, "无法连接服务器") {
		t.Errorf("login to a stopped server: %d %s", code, errs)
	}
}

func TestLogoutPurgesUnlessPending(t *testing.T) {
	ts := clienttest.Start(t)
	id := ts.Submit(t, "sub", 1)[0]
	dir := signIn(t, ts, "rev")
	mustSync(t, dir)
	ts.Stop()
	code, _, errs := cli(t, dir, "decide", id, "--action", "approve", "--verdicts", allPass, "--disclosure", "proactive")
	if code != 0 {
		t.Fatalf("decide offline: %d %s", code, errs)
	}
	code, _, errs = cli(t, dir, "logout")
	if code != 1 || !strings.Contains(errs, "--keep-cache") {
		t.Fatalf("logout with a pending decision: %d %s", code, errs)
	}
	// Still signed in, the decision still there.
	code, out, _ := cli(t, dir, "outbox", "--json")
	if code != 0 || !strings.Contains(out, `"pending"`) {
		t.Fatalf("outbox after refused logout: %s", out)
	}
	ts.Restart()
	mustSync(t, dir)
	if n := ts.Effects(t, id, "rev"); n != 1 {
		t.Fatalf("effects %d", n)
	}
	code, _, errs = cli(t, dir, "logout")
	if code != 0 {
		t.Fatalf("logout: %d %s", code, errs)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "cache-") || e.Name() == "session.json" {
			t.Errorf("%s left after logout", e.Name())
		}
	}
	if code, _, _ := cli(t, dir, "queue"); code != 2 {
		t.Errorf("queue after logout: %d", code)
	}
}

func TestSafeText(t *testing.T) {
	in := "标题\x1b[2J\x07 ok\u202eevil\r\n第二行\tTab"
	got := safeText(in)
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\r"} {
		if strings.Contains(got, bad) {
			t.Errorf("safeText kept %q: %q", bad, got)
		}
	}
	if !strings.Contains(got, `\x1b[2J`) || !strings.Contains(got, "第二行\tTab") || !strings.Contains(got, `\u202e`) {
		t.Errorf("safeText(%q) = %q", in, got)
	}
	if oneLine("a\nb") != "a b" {
		t.Error("oneLine")
	}
	if displayWidth("审核ab") != 6 {
		t.Errorf("displayWidth = %d", displayWidth("审核ab"))
	}
}
