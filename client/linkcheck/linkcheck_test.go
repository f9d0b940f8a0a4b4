package linkcheck

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sanshen/review/precheck"
)

// testServer serves the cases the checker must tell apart, counting requests
// per path and the most requests in flight at once.
type testServer struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	methods  map[string][]string
	inflight atomic.Int32
	maxSeen  atomic.Int32
	release  chan struct{} // closed to let hung requests go
}

func newTestServer(t *testing.T) *testServer {
	ts := &testServer{hits: map[string]int{}, methods: map[string][]string{}, release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/nohead", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		w.Write([]byte("hello"))
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-ts.release:
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusMovedPermanently) })
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	mux.HandleFunc("/slow/", func(w http.ResponseWriter, r *http.Request) { time.Sleep(30 * time.Millisecond) })
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := ts.inflight.Add(1)
		defer ts.inflight.Add(-1)
		for {
			m := ts.maxSeen.Load()
			if n <= m || ts.maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
		ts.mu.Lock()
		ts.hits[r.URL.Path]++
		ts.methods[r.URL.Path] = append(ts.methods[r.URL.Path], r.Method)
		ts.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		select {
		case <-ts.release:
		default:
			close(ts.release)
		}
		ts.Close()
	})
	return ts
}

func (ts *testServer) methodsOf(path string) []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return slices.Clone(ts.methods[path])
}

func (ts *testServer) count(path string) int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.hits[path]
}

func TestCheckCases(t *testing.T) {
	ts := newTestServer(t)
	c := New(Options{Timeout: 300 * time.Millisecond, BaseURL: ts.URL + "/dir/page.html"})
	urls := []string{
		ts.URL + "/ok", ts.URL + "/missing", ts.URL + "/nohead", ts.URL + "/hang", ts.URL + "/loop",
		ts.URL + "/moved", ts.URL + "/error", "/ok", "mailto:office@tj.gov.cn", "javascript:void(0)", "#top",
	}
	start := time.Now()
	res := c.Check(context.Background(), urls)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v: the hung server was not cut off", d)
	}
	type want struct {
		alive, dead, skipped bool
		status               int
		err                  string
	}
	wants := []want{
		{alive: true, status: 200},
		{dead: true, status: 404, err: "HTTP 404 Not Found"},
		{alive: true, status: 200},
		{dead: true, err: "timed out"},
		{dead: true, err: "too many redirects"},
		{alive: true, status: 200},
		{dead: true, status: 500},
		{alive: true, status: 200},
		{skipped: true}, {skipped: true}, {skipped: true},
	}
	for i, w := range wants {
		r := res[i]
		if r.URL != urls[i] || r.Alive != w.alive || r.Dead() != w.dead || r.Skipped != w.skipped || r.Status != w.status {
			t.Errorf("%s: %+v, want %+v", urls[i], r, w)
		}
		if w.err != "" && r.Err != w.err {
			t.Errorf("%s: error %q, want %q", urls[i], r.Err, w.err)
		}
	}
	if m := ts.methodsOf("/nohead"); !slices.Equal(m, []string{"HEAD", "GET"}) {
		t.Errorf("/nohead methods %v, want HEAD then GET", m)
	}
	if m := ts.methodsOf("/ok"); len(m) == 0 || m[0] != "HEAD" {
		t.Errorf("/ok methods %v", m)
	}
}

func TestCacheAndSharedRequests(t *testing.T) {
	ts := newTestServer(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(Options{CacheTTL: time.Minute})
	c.now = func() time.Time { return now }
	u := ts.URL + "/slow/a"
	// Ten checks at once share one request.
	c.Check(context.Background(), slices.Repeat([]string{u}, 10))
	if n := ts.count("/slow/a"); n != 1 {
		t.Fatalf("%d requests for ten concurrent checks of one URL", n)
	}
	c.Check(context.Background(), []string{u, u + "#frag"})
	if n := ts.count("/slow/a"); n != 1 {
		t.Fatalf("cached result not used: %d requests", n)
	}
	now = now.Add(2 * time.Minute)
	c.Check(context.Background(), []string{u})
	if n := ts.count("/slow/a"); n != 2 {
		t.Fatalf("expired result reused: %d requests", n)
	}
}

// TestCacheIsBounded: the cache keeps at most CacheSize results, dropping
// expired ones first; a fresh result stays usable.
func TestCacheIsBounded(t *testing.T) {
	ts := newTestServer(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New(Options{CacheTTL: time.Minute, CacheSize: 4})
	c.now = func() time.Time { return now }
	ctx := context.Background()
	for i := range 3 {
		c.Check(ctx, []string{fmt.Sprintf("%s/ok?old=%d", ts.URL, i)})
	}
	now = now.Add(2 * time.Minute) // the three expire
	fresh := ts.URL + "/ok?fresh"
	c.Check(ctx, []string{fresh})
	c.Check(ctx, []string{ts.URL + "/ok?full"}) // the cache is full: the expired three go
	c.mu.Lock()
	size, kept := len(c.cache), c.cache[fresh]
	c.mu.Unlock()
	if size != 2 || kept.Target == "" {
		t.Fatalf("after expiry: %d cached, fresh kept %v; want 2 and true", size, kept.Target != "")
	}
	before := ts.count("/ok")
	c.Check(ctx, []string{fresh})
	if ts.count("/ok") != before {
		t.Error("the fresh result was not reused")
	}
	// Nothing expired: the cache still never holds more than four.
	for i := range 20 {
		c.Check(ctx, []string{fmt.Sprintf("%s/ok?new=%d", ts.URL, i)})
		c.mu.Lock()
		size := len(c.cache)
		c.mu.Unlock()
		if size > 4 {
			t.Fatalf("%d results cached, the bound is 4", size)
		}
	}
}

func TestConcurrencyBound(t *testing.T) {
	ts := newTestServer(t)
	c := New(Options{Concurrency: 3})
	var urls []string
	for i := range 20 {
		urls = append(urls, ts.URL+"/slow/"+string(rune('a'+i)))
	}
	res := c.Check(context.Background(), urls)
	for _, r := range res {
		if !r.Alive {
			t.Errorf("%+v", r)
		}
	}
	if m := ts.maxSeen.Load(); m > 3 || m < 2 {
		t.Errorf("max requests in flight %d, want at most 3 (and some parallelism)", m)
	}
}

func TestAsyncNeverBlocksAndCancels(t *testing.T) {
	ts := newTestServer(t)
	c := New(Options{Timeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan []Result, 1)
	start := time.Now()
	c.CheckAsync(ctx, []string{ts.URL + "/hang", ts.URL + "/ok"}, func(r []Result) { got <- r })
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("CheckAsync blocked for %v", d)
	}
	// Wait until the hung request reached the server, then cancel.
	for deadline := time.Now().Add(5 * time.Second); ts.count("/hang") == 0; {
		if time.Now().After(deadline) {
			t.Fatal("request never arrived")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case r := <-got:
		if r[0].Dead() || r[0].Alive || r[0].Err == "" {
			t.Errorf("cancelled check reported as %+v", r[0])
		}
		if !r[1].Alive {
			t.Errorf("/ok: %+v", r[1])
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancellation did not end the check")
	}
	// A cancelled result is not cached: a new check asks again.
	close(ts.release)
	if r := c.Check(context.Background(), []string{ts.URL + "/hang"}); !r[0].Alive {
		t.Errorf("after release: %+v", r[0])
	}
}

func TestFindings(t *testing.T) {
	ts := newTestServer(t)
	c := New(Options{Timeout: 300 * time.Millisecond})
	doc := precheck.ExtractHTML(`<p>见<a href="` + ts.URL + `/ok">通知</a>和<a href="` + ts.URL + `/missing">附件</a>，<img src="` + ts.URL + `/error"><a href="mailto:x@tj.gov.cn">邮箱</a></p>`)
	done := make(chan []precheck.Finding, 1)
	c.FindingsAsync(context.Background(), doc, func(f []precheck.Finding) { done <- f })
	fs := <-done
	if len(fs) != 2 {
		t.Fatalf("findings %+v", fs)
	}
	runes := []rune(doc.Text)
	for i, want := range []string{"附件", "【图片】"} {
		f := fs[i]
		if f.Rule != precheck.RuleDeadLink || f.Check != "text" || f.Severity != precheck.SeverityError || f.Excerpt != want ||
			string(runes[f.Start:f.End]) != want || f.Message == "" || f.MessageEN == "" {
			t.Errorf("finding %d: %+v", i, f)
		}
	}
}
