package client

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sanshen/review"
)

// Malformed replies come from a mangling proxy in front of the real server
// (or, for the hung server, a raw handler): a clear error, no crash, and the
// cache as it was.
func TestMalformedRepliesLeaveCacheIntact(t *testing.T) {
	ts := newTestServer(t)
	ids := ts.submit(t, 3)
	m := newMangler(t, ts.URL)
	ctx := context.Background()
	opts := testOptions(t)
	s, err := Login(ctx, opts, m.URL, "rev", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Queue(ctx)
	if len(before) != 3 {
		t.Fatalf("queue = %d", len(before))
	}
	garbage := make([]byte, 10<<20)
	rand.Read(garbage)
	onQueue := func(status int, ct string, body []byte) func(w http.ResponseWriter, r *http.Request) bool {
		return func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/api/v1/queue" {
				return false
			}
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(status)
			w.Write(body)
			return true
		}
	}
	cases := []struct {
		name string
		rule func(w http.ResponseWriter, r *http.Request) bool
		want []string // in the error text
	}{
		{"truncated JSON", onQueue(200, "application/json", []byte(`{"items":[{"id":"a","title":"半截`)), []string{"cut short"}},
		{"wrong types", onQueue(200, "application/json", []byte(`{"items":[{"id":"a","version":"one"}],"cursor":"9"}`)), []string{"version", "string"}},
		{"not an object", onQueue(200, "application/json", []byte(`[1,2,3]`)), []string{"could not be understood"}},
		{"no items", onQueue(200, "application/json", []byte(`{"cursor":"1"}`)), []string{`no "items"`}},
		{"HTML error page", onQueue(500, "text/html", []byte(`<html><head><title>500 Internal Server Error</title></head><body><script>alert(1)</script><h1>nginx</h1></body></html>`)), []string{"HTTP 500", "text/html", "500 Internal Server Error"}},
		{"HTML with 200", onQueue(200, "text/html", []byte(`<!DOCTYPE html><html><body>请先登录上网认证</body></html>`)), []string{"text/html", "not valid JSON"}},
		{"10 MB of garbage", onQueue(200, "application/octet-stream", garbage), []string{"could not be understood", "10485760 bytes"}},
		{"empty", onQueue(200, "application/json", nil), []string{"empty"}},
		{"trailing data", onQueue(200, "application/json", []byte(`{"items":[],"cursor":"1"} {"x":1}`)), []string{"extra data"}},
		{"id-less entry", onQueue(200, "application/json", []byte(`{"items":[{"title":"x","version":1}],"cursor":"1"}`)), []string{"no id"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m.set(c.rule)
			defer m.set(nil)
			_, err := s.Sync(ctx)
			if err == nil {
				t.Fatal("sync took a malformed reply")
			}
			t.Logf("error: %v", err)
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "<script>") {
				t.Errorf("error %q carries the page's script", err)
			}
			if len(err.Error()) > 2000 {
				t.Errorf("error is %d bytes long", len(err.Error()))
			}
			after, qerr := s.Queue(ctx)
			if qerr != nil || len(after) != len(before) {
				t.Fatalf("cache changed: %d entries, %v", len(after), qerr)
			}
			if st := s.State(); st.Err == nil || st.Syncing {
				t.Errorf("state = %+v", st)
			}
		})
	}
	// A body that does not match its hash is refused, not cached.
	m.set(func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.Path, "/versions/") {
			return false
		}
		rec := httptest.NewRecorder()
		m.proxy.ServeHTTP(rec, r)
		var v map[string]any
		json.Unmarshal(rec.Body.Bytes(), &v)
		v["body"] = v["body"].(string) + "（篡改）"
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
		return true
	})
	d, err := s.Item(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.fetchBody(ctx, ids[0], d.Versions[0].Number); !errors.Is(err, ErrBadReply) || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("tampered body: %v", err)
	}
	b, err := s.Body(ctx, ids[0], 1)
	if err != nil || strings.Contains(b.Body, "篡改") {
		t.Fatalf("cached body changed: %q %v", b.Body, err)
	}
	m.set(nil)
	if _, err := s.Sync(ctx); err != nil {
		t.Fatalf("sync after the proxy mends: %v", err)
	}
}

func TestReplyLargerThanTheLimit(t *testing.T) {
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"items":[`))
		entry := []byte(`{"id":"x","title":"` + strings.Repeat("长", 1000) + `","version":1},`)
		for i := 0; i < 2<<20/len(entry)+1; i++ {
			w.Write(entry)
		}
	}))
	defer big.Close()
	a, err := NewAPI(big.URL, HTTPConfig{MaxReplyBytes: 1 << 20, Logger: quietLogger(), RetryWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Queue(context.Background(), "")
	if !errors.Is(err, ErrBadReply) || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Fatalf("oversized reply: %v", err)
	}
}

func TestHungServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hung.Close()
	defer close(release)
	a, err := NewAPI(hung.URL, HTTPConfig{Timeout: 150 * time.Millisecond, Retries: 1, RetryWait: time.Millisecond, RetryMaxWait: 2 * time.Millisecond, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = a.Queue(context.Background(), "")
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("hung server: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
	// The caller's context wins over the timeouts.
	a2, _ := NewAPI(hung.URL, HTTPConfig{Timeout: time.Hour, Logger: quietLogger()})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := a2.Queue(ctx, ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled: %v", err)
	}
}

// Retries: idempotent requests on network errors and 502/503/504 only;
// never on 4xx; never a login.
func TestRetryPolicy(t *testing.T) {
	ts := newTestServer(t)
	id := ts.submit(t, 1)[0]
	m := newMangler(t, ts.URL)
	ctx := context.Background()
	cfg := HTTPConfig{Retries: 3, RetryWait: time.Millisecond, RetryMaxWait: 5 * time.Millisecond, Logger: quietLogger()}
	a, err := NewAPI(m.URL, cfg)
	if err != nil {
		t.Fatal(err)
	}

	failFirst := func(n int64, status int, path string) *atomic.Int64 {
		var seen atomic.Int64
		m.set(func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasPrefix(r.URL.Path, path) {
				return false
			}
			if seen.Add(1) <= n {
				if status == 0 { // drop the connection
					hj, _ := w.(http.Hijacker)
					c, _, _ := hj.Hijack()
					c.Close()
					return true
				}
				w.WriteHeader(status)
				return true
			}
			return false
		})
		return &seen
	}

	// Login is sent once, even on 503.
	seen := failFirst(1, 503, "/api/v1/login")
	if _, err := a.Login(ctx, "rev", testPassword); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("login on 503: %v", err)
	}
	if seen.Load() != 1 {
		t.Fatalf("login tried %d times", seen.Load())
	}
	m.set(nil)
	rep, err := a.Login(ctx, "rev", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	a.SetToken(rep.Token)

	// A GET survives two 502/503s and a dropped connection.
	for _, status := range []int{502, 503, 504, 0} {
		seen = failFirst(2, status, "/api/v1/queue")
		if _, err := a.Queue(ctx, ""); err != nil {
			t.Fatalf("queue after two %d: %v", status, err)
		}
		if seen.Load() != 3 {
			t.Fatalf("status %d: tried %d times", status, seen.Load())
		}
	}
	// 4xx is not retried.
	seen = failFirst(1, 404, "/api/v1/items/")
	if _, err := a.Item(ctx, id); !errors.Is(err, ErrNotFound) || seen.Load() != 1 {
		t.Fatalf("404: %v after %d tries", err, seen.Load())
	}
	// Out of retries: a network error.
	seen = failFirst(100, 503, "/api/v1/queue")
	if _, err := a.Queue(ctx, ""); !errors.Is(err, ErrUnreachable) || seen.Load() != 4 {
		t.Fatalf("persistent 503: %v after %d tries", err, seen.Load())
	}
	// A decision whose reply is lost is sent again, and the server acts once.
	var posts atomic.Int64
	m.set(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/decisions") {
			return false
		}
		if posts.Add(1) == 1 {
			// Let the server act, then lose its answer.
			rec := httptest.NewRecorder()
			m.proxy.ServeHTTP(rec, r)
			if rec.Code != http.StatusCreated {
				t.Errorf("first post: %d %s", rec.Code, rec.Body)
			}
			w.WriteHeader(http.StatusBadGateway)
			return true
		}
		return false
	})
	cur, _ := ts.api(t, "rev").Item(ctx, id)
	d := approveFirst()
	d.ID, d.Stage, d.Version, d.SHA256 = "6c0d5a28-9a2d-4bfb-8f53-1d7d3f1f6f10", cur.Stage, 1, cur.Versions[0].SHA256
	dr, err := a.PostDecision(ctx, id, d)
	if err != nil || dr.Created || posts.Load() != 2 {
		t.Fatalf("decision after a lost reply: %+v %v (%d posts)", dr, err, posts.Load())
	}
	if n := ts.effects(t, id, "rev"); n != 1 {
		t.Fatalf("effects = %d", n)
	}
}

func TestServerErrorsAreTyped(t *testing.T) {
	ts := newTestServer(t)
	a, _ := NewAPI(ts.URL, HTTPConfig{Logger: quietLogger()})
	ctx := context.Background()
	_, err := a.Login(ctx, "rev", "wrong password")
	var se *ServerError
	if !errors.Is(err, ErrUnauthorized) || !errors.As(err, &se) || se.Code != "bad-credentials" || !strings.Contains(se.Text(), "用户名或密码错误") {
		t.Fatalf("bad login: %v", err)
	}
	if _, err := a.Me(ctx); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("me without token: %v", err)
	}
	_, err = ts.api(t, "rev").CreateItem(ctx, NewItem{Title: "x", Column: testColumn, Body: "正文"})
	if !errors.Is(err, ErrForbidden) || !errors.Is(err, review.ErrForbidden) || !errors.As(err, &se) || se.Code != "submitter-role" {
		t.Fatalf("reviewer submits: %v", err)
	}
	_, err = ts.api(t, "sub").CreateItem(ctx, NewItem{Title: "x", Column: "没有这个栏目", Body: "正文"})
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, review.ErrInvalid) || !strings.Contains(err.Error(), "没有这个栏目") {
		t.Fatalf("unknown column: %v", err)
	}
	if _, err := NewAPI("ftp://example.org", HTTPConfig{}); err == nil {
		t.Error("ftp:// accepted")
	}
	if u, err := NormalizeServerURL("review.example.gov.cn:8470/"); err != nil || u != "https://review.example.gov.cn:8470" {
		t.Errorf("normalize: %q %v", u, err)
	}
}

func TestCustomCA(t *testing.T) {
	ts := newTestServer(t)
	tlsSrv := httptest.NewTLSServer(ts.Server.Server().Handler())
	defer tlsSrv.Close()
	ctx := context.Background()
	// Unknown authority: refused, not retried forever, and said plainly.
	a, _ := NewAPI(tlsSrv.URL, HTTPConfig{Logger: quietLogger(), RetryWait: time.Millisecond})
	start := time.Now()
	if err := a.Health(ctx); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("unknown CA: %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Error("a certificate error was retried")
	}
	// With the office's CA file, it works.
	caFile := t.TempDir() + "/ca.pem"
	if err := writeFileAtomic(caFile, pemOf(tlsSrv.Certificate().Raw)); err != nil {
		t.Fatal(err)
	}
	a2, err := NewAPI(tlsSrv.URL, HTTPConfig{CAFile: caFile, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := a2.Health(ctx); err != nil {
		t.Fatalf("custom CA: %v", err)
	}
	if _, err := NewAPI(tlsSrv.URL, HTTPConfig{CAFile: t.TempDir() + "/missing.pem"}); err == nil {
		t.Error("missing CA file accepted")
	}
	if err := writeFileAtomic(caFile, []byte("not a certificate")); err != nil {
		t.Fatal(err)
	}
	if _, err := NewAPI(tlsSrv.URL, HTTPConfig{CAFile: caFile}); err == nil {
		t.Error("CA file without certificates accepted")
	}
}

func pemOf(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// A reply longer than what snippet looks at is judged as text or binary
// whatever rune its cut splits.
func TestSnippetOfLongText(t *testing.T) {
	for _, prefix := range []string{"", "a", "ab"} {
		text := prefix + strings.Repeat("长", 200)
		if got := snippet([]byte(text), 120); strings.Contains(got, "binary") || !strings.HasPrefix(text, got) {
			t.Errorf("prefix %q: snippet %q", prefix, got)
		}
	}
	if got := snippet([]byte{0xff, 0xfe, 0, 1, 2, 3, 4, 5, 6}, 120); !strings.Contains(got, "binary") {
		t.Errorf("binary reply: snippet %q", got)
	}
}

// Items that left the queue may also come apart from "items", as ids or as
// objects; a "removed" of another shape is a bad reply.
func TestQueueRemovedForms(t *testing.T) {
	for _, c := range []struct {
		body string
		want []string
		bad  bool
	}{
		{body: `{"items":[],"removed":["a","b"],"cursor":3}`, want: []string{"a", "b"}},
		{body: `{"items":[],"removed":[{"id":"a"},{"id":"b"}]}`, want: []string{"a", "b"}},
		{body: `{"items":[],"removed":null}`},
		{body: `{"items":[],"removed":5}`, bad: true},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(c.body)) }))
		a, err := NewAPI(srv.URL, HTTPConfig{Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.Queue(context.Background(), "")
		srv.Close()
		if c.bad {
			if !errors.Is(err, ErrBadReply) || !strings.Contains(err.Error(), `"removed"`) {
				t.Errorf("%s: %v", c.body, err)
			}
			continue
		}
		if err != nil || !slices.Equal(p.RemovedIDs, c.want) {
			t.Errorf("%s: removed %q, %v", c.body, p.RemovedIDs, err)
		}
	}
}
