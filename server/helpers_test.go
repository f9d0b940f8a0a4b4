package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"sanshen/review"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // every reading is later than the one before
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const testPassword = "correct horse battery"

// testEnv is a server on a real SQLite file in t.TempDir, served over HTTP on loopback.
type testEnv struct {
	t      *testing.T
	srv    *Server
	http   *httptest.Server
	clock  *testClock
	dbPath string
	tokens map[string]string
}

// testUsers are created by newTestEnv: one per role, plus a second reviewer
// and a second submitter of the same department.
var testUsers = []struct {
	name  string
	roles []review.Role
	dept  string
}{
	{"sub", []review.Role{review.RoleSubmitter}, "宣传教育处"},
	{"sub2", []review.Role{review.RoleSubmitter}, "宣传教育处"},
	{"subother", []review.Role{review.RoleSubmitter}, "规划发展处"},
	{"rev", []review.Role{review.RoleReviewer}, ""},
	{"rev2", []review.Role{review.RoleReviewer}, ""},
	{"head", []review.Role{review.RoleHead}, ""},
	{"sec", []review.Role{review.RoleSecrecyOfficer}, ""},
	{"lead", []review.Role{review.RoleLeader}, ""},
	{"office", []review.Role{review.RoleOffice}, ""},
	// Holds both: may submit, and review others' items but never their own.
	{"subrev", []review.Role{review.RoleSubmitter, review.RoleReviewer}, "宣传教育处"},
}

func newTestEnv(t *testing.T, mods ...func(*Config)) *testEnv {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	dbPath := filepath.Join(t.TempDir(), "sanshend.db")
	cfg := Config{DBPath: dbPath, Now: clock.Now, InsecureFastPasswords: true}
	for _, m := range mods {
		m(&cfg)
	}
	ctx := context.Background()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range testUsers {
		if err := s.AddUser(ctx, u.name, u.name, testPassword, u.roles, u.dept); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range demoColumns(clock.Now()) {
		if err := s.AddColumn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(s.Handler())
	e := &testEnv{t: t, srv: s, http: hs, clock: clock, dbPath: dbPath, tokens: map[string]string{}}
	t.Cleanup(func() {
		hs.Close()
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return e
}

// response is a decoded API answer.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

func (r response) errCode() string {
	e, _ := r.JSON["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (r response) errMessage() string {
	e, _ := r.JSON["error"].(map[string]any)
	c, _ := e["message"].(string)
	return c
}

func (r response) str(key string) string {
	s, _ := r.JSON[key].(string)
	return s
}

// do sends a request as user ("" for none); body is marshalled unless it is []byte.
func (e *testEnv) do(user, method, path string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.http.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.token(user))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &r.JSON); err != nil {
			e.t.Fatalf("%s %s: answer is not a JSON object: %v: %s", method, path, err, raw)
		}
	}
	return r
}

// must is do that fails the test unless the status is want.
func (e *testEnv) must(want int, user, method, path string, body any) response {
	e.t.Helper()
	r := e.do(user, method, path, body)
	if r.Status != want {
		e.t.Fatalf("%s %s as %s: status %d, want %d: %s", method, path, user, r.Status, want, r.Raw)
	}
	return r
}

func (e *testEnv) token(user string) string {
	e.t.Helper()
	if tok, ok := e.tokens[user]; ok {
		return tok
	}
	r := e.do("", "POST", "/api/v1/login", map[string]string{"username": user, "password": testPassword})
	if r.Status != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", user, r.Status, r.Raw)
	}
	e.tokens[user] = r.str("token")
	return e.tokens[user]
}

// submit creates an item as user and returns its id.
func (e *testEnv) submit(user string, extra map[string]any) string {
	e.t.Helper()
	body := map[string]any{"title": "关于开展燃气安全检查的通知", "column": "通知公告", "body": "各区城市管理委：\n请于月底前完成燃气安全检查。", "content_type": "text/plain"}
	for k, v := range extra {
		body[k] = v
	}
	r := e.must(http.StatusCreated, user, "POST", "/api/v1/items", body)
	return r.str("id")
}

// item returns the item as user sees it.
func (e *testEnv) item(user, id string) response {
	e.t.Helper()
	return e.must(http.StatusOK, user, "GET", "/api/v1/items/"+id, nil)
}

// decision builds a decision on the item's current version and stage.
func (e *testEnv) decision(id string, action review.Action) map[string]any {
	e.t.Helper()
	it := e.item("office", id)
	verdicts := map[string]any{}
	for _, c := range review.Checks {
		verdicts[string(c)] = map[string]string{"verdict": "pass"}
	}
	d := map[string]any{"id": uuid.NewString(), "stage": it.str("stage"), "version": it.JSON["version"], "sha256": it.str("sha256"),
		"action": string(action), "verdicts": verdicts}
	if it.str("stage") == "first" && action == review.ActionApprove {
		d["disclosure"] = "proactive"
	}
	if action != review.ActionApprove {
		verdicts["text"] = map[string]string{"verdict": "fail", "comment": "错别字"}
		d["reason"] = "请修改错别字"
	}
	return d
}

// decide posts a decision built by decision and checks the status.
func (e *testEnv) decide(want int, user, id string, action review.Action, mods ...func(map[string]any)) response {
	e.t.Helper()
	d := e.decision(id, action)
	for _, m := range mods {
		m(d)
	}
	return e.must(want, user, "POST", "/api/v1/items/"+id+"/decisions", d)
}

// events returns an item's events.
func (e *testEnv) events(id string) []map[string]any {
	e.t.Helper()
	r := e.must(http.StatusOK, "office", "GET", "/api/v1/items/"+id+"/events", nil)
	var out []map[string]any
	for _, ev := range r.JSON["events"].([]any) {
		out = append(out, ev.(map[string]any))
	}
	return out
}

func eventKinds(evs []map[string]any) []string {
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprint(e["kind"]))
	}
	return out
}

func httptestServer(t *testing.T, s *Server) *httptest.Server {
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return hs
}
