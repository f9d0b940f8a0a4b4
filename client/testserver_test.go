package client

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"sanshen/client/clienttest"
	"sanshen/review"
)

// The tests run the real review server in-process on loopback, with a real
// SQLite file, and a real cache file per test.

const testPassword = clienttest.Password

const testColumn = clienttest.Column

// testServer is the real server (see package clienttest) with helpers that
// use this package's API client.
type testServer struct {
	*clienttest.Server
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTestServer starts a server with the users of clienttest: sub
// (submitter), rev and rev2 (reviewers), head, both (submitter and
// reviewer), leader, office.
func newTestServer(t testing.TB) *testServer {
	t.Helper()
	return &testServer{clienttest.Start(t)}
}

func (ts *testServer) start() { ts.Restart() }
func (ts *testServer) stop()  { ts.Stop() }

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
	return ts.Submit(t, "sub", n)
}

func (ts *testServer) submitAs(t testing.TB, user string, n int) []string {
	t.Helper()
	return ts.Submit(t, user, n)
}

func (ts *testServer) effects(t testing.TB, itemID, actor string) int {
	t.Helper()
	return ts.Effects(t, itemID, actor)
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
