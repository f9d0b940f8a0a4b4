package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"sanshen/review"
	"sanshen/server"
)

// The tests run the real review server in-process on loopback, with a real
// SQLite file, and a real cache file per test.

const testPassword = "correct-horse-42"

const testColumn = "新闻动态"

// testServer is the real server on a fixed loopback address that can be
// stopped and started again (the database file stays).
type testServer struct {
	t      testing.TB
	dbPath string
	addr   string
	URL    string

	mu  sync.Mutex
	srv *server.Server
	hs  *http.Server
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTestServer starts a server with users and a column:
// sub (submitter), rev and rev2 (reviewers), head (head), both (submitter
// and reviewer), leader.
func newTestServer(t testing.TB) *testServer {
	t.Helper()
	ts := &testServer{t: t, dbPath: filepath.Join(t.TempDir(), "server.sqlite")}
	ts.start()
	t.Cleanup(ts.stop)
	ctx := context.Background()
	if err := ts.srv.AddColumn(ctx, server.Column{Name: testColumn, Kind: server.ColumnNews, Department: "宣传教育处", Person: "王芳", UpdateRule: server.UpdateWeekly}); err != nil {
		t.Fatal(err)
	}
	users := []struct {
		name  string
		roles []review.Role
	}{
		{"sub", []review.Role{review.RoleSubmitter}},
		{"rev", []review.Role{review.RoleReviewer}},
		{"rev2", []review.Role{review.RoleReviewer}},
		{"head", []review.Role{review.RoleHead}},
		{"both", []review.Role{review.RoleSubmitter, review.RoleReviewer}},
		{"leader", []review.Role{review.RoleLeader}},
	}
	for _, u := range users {
		if err := ts.srv.AddUser(ctx, u.name, u.name, testPassword, u.roles, "宣传教育处"); err != nil {
			t.Fatal(err)
		}
	}
	return ts
}

func (ts *testServer) start() {
	ts.t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	srv, err := server.Open(context.Background(), server.Config{DBPath: ts.dbPath, InsecureFastPasswords: true, Logger: quietLogger()})
	if err != nil {
		ts.t.Fatal(err)
	}
	addr := ts.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var ln net.Listener
	for i := 0; ; i++ {
		ln, err = net.Listen("tcp", addr)
		if err == nil || i == 50 || !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		srv.Close()
		ts.t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	ts.URL = "http://" + ts.addr
	ts.srv = srv
	ts.hs = &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go ts.hs.Serve(ln)
}

// stop closes the listener and every connection, then the database.
func (ts *testServer) stop() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.hs == nil {
		return
	}
	ts.hs.Close()
	ts.srv.Close()
	ts.hs, ts.srv = nil, nil
}

// api returns an API client signed in as user.
func (ts *testServer) api(t testing.TB, user string) *API {
	t.Helper()
	a, err := NewAPI(ts.URL, HTTPConfig{Logger: quietLogger(), Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Login(context.Background(), user, testPassword)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	a.SetToken(rep.Token)
	return a
}

// submit creates n items as sub and returns their ids.
func (ts *testServer) submit(t testing.TB, n int) []string {
	t.Helper()
	return ts.submitAs(t, "sub", n)
}

func (ts *testServer) submitAs(t testing.TB, user string, n int) []string {
	t.Helper()
	a := ts.api(t, user)
	ids := make([]string, n)
	for i := range ids {
		it, err := a.CreateItem(context.Background(), NewItem{
			Title:       fmt.Sprintf("关于做好第%d批城市道路清扫保洁工作的通知", i+1),
			Column:      testColumn,
			Body:        fmt.Sprintf("各区城市管理委员会：\n\n为进一步提升城市道路清扫保洁质量（第%d批），现将有关事项通知如下。\n一、加强日常巡查。\n二、落实责任分工。\n", i+1),
			ContentType: review.ContentPlain,
		})
		if err != nil {
			t.Fatalf("create item: %v", err)
		}
		ids[i] = it.ID
	}
	return ids
}

// effects counts the human decision events (approved, returned, rejected,
// signed off) by actor on an item, as the server records them.
func (ts *testServer) effects(t testing.TB, itemID, actor string) int {
	t.Helper()
	evs, err := ts.api(t, "head").Events(context.Background(), itemID)
	if err != nil {
		t.Fatalf("events of %s: %v", itemID, err)
	}
	n := 0
	for _, e := range evs {
		switch e.Kind {
		case review.EventApproved, review.EventReturned, review.EventRejected, review.EventSignedOff:
			if e.Actor == actor {
				n++
			}
		}
	}
	return n
}

// passAll returns verdicts with every check passed.
func passAll() review.Verdicts {
	v := review.Verdicts{}
	for _, c := range review.Checks {
		v[c] = review.CheckResult{Verdict: review.VerdictPass}
	}
	return v
}

// approveFirst is a valid approval at the first stage (stage, version and
// hash are filled from the cache by Decide).
func approveFirst() review.Decision {
	return review.Decision{Action: review.ActionApprove, Verdicts: passAll(), Disclosure: review.DisclosureProactive}
}

// testOptions are session options for a test: the cache in its own dir,
// short timeouts and back-off so that offline tests are quick.
func testOptions(t testing.TB) Options {
	return Options{
		Dir:    filepath.Join(t.TempDir(), "config"),
		Logger: quietLogger(),
		HTTP: HTTPConfig{ConnectTimeout: time.Second, Timeout: 5 * time.Second, Retries: 2,
			RetryWait: 5 * time.Millisecond, RetryMaxWait: 20 * time.Millisecond},
	}
}

// login signs user in with a fresh config dir.
func (ts *testServer) login(t testing.TB, user string, opts Options) *Session {
	t.Helper()
	s, err := Login(context.Background(), opts, ts.URL, user, testPassword)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mangler is a reverse proxy in front of the real server that can be told
// to answer some requests itself, with malformed replies.
type mangler struct {
	URL   string
	proxy *httputil.ReverseProxy
	rule  atomic.Pointer[func(w http.ResponseWriter, r *http.Request) bool]
	hits  atomic.Int64
	hs    *http.Server
}

func newMangler(t testing.TB, target string) *mangler {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	m := &mangler{proxy: httputil.NewSingleHostReverseProxy(u)}
	m.proxy.ErrorLog = nil
	m.proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.URL = "http://" + ln.Addr().String()
	m.hs = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.hits.Add(1)
		if f := m.rule.Load(); f != nil && (*f)(w, r) {
			return
		}
		m.proxy.ServeHTTP(w, r)
	})}
	go m.hs.Serve(ln)
	t.Cleanup(func() { m.hs.Close() })
	return m
}

// set installs a rule: it answers and returns true, or returns false to pass
// the request on. nil passes everything.
func (m *mangler) set(f func(w http.ResponseWriter, r *http.Request) bool) {
	if f == nil {
		m.rule.Store(nil)
		return
	}
	m.rule.Store(&f)
}
