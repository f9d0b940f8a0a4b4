// Package linkcheck checks whether the links of a version body still work
// and reports dead ones as pre-check findings (rule links.dead): the
// portal's measures forbid dead links (无链、错链、断链).
//
// It is the only part of the pre-checks that uses the network, so it runs
// only when online and never blocks its caller: CheckAsync and FindingsAsync
// return at once and deliver results through a callback. Requests are
// bounded in number (Options.Concurrency across all calls) and in time
// (Options.Timeout per request); a link is tried with HEAD and, when the
// server refuses HEAD (405, 501) or HEAD fails, with GET. Results are cached
// for Options.CacheTTL, and concurrent checks of the same URL share one
// request. Cancelling the context stops the work; links not checked by then
// are not reported as dead.
package linkcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"sanshen/review"
	"sanshen/review/precheck"
)

// Options configures a Checker. Zero values take the defaults.
type Options struct {
	// Client makes the requests; nil: a client that follows at most 10
	// redirects and uses the environment's proxy settings.
	Client *http.Client
	// Concurrency bounds the requests in flight across all calls; default 4.
	Concurrency int
	// Timeout bounds each request; default 10 s.
	Timeout time.Duration
	// CacheTTL is how long a result is reused; default 10 min.
	CacheTTL time.Duration
	// CacheSize bounds the results kept; default 10,000. When it is
	// reached, expired results go first, then half of the rest: a long
	// session that checks many pages keeps bounded memory.
	CacheSize int
	// BaseURL resolves relative links (the page's address); empty: relative
	// links are not checked.
	BaseURL string
	// UserAgent is sent with each request; default "Sanshen-linkcheck/1".
	UserAgent string
}

// Result is the state of one link.
type Result struct {
	URL     string    `json:"url"`    // as given
	Target  string    `json:"target"` // the absolute URL requested; empty when skipped
	Status  int       `json:"status"` // the final HTTP status, 0 without a response
	Alive   bool      `json:"alive"`
	Skipped bool      `json:"skipped,omitempty"` // not checkable: mailto:, javascript:, a fragment, a relative link without BaseURL
	Err     string    `json:"error,omitempty"`   // why the link is dead, or why it was not checked
	At      time.Time `json:"at"`
	// canceled marks a result cut short by the caller's context: unknown,
	// not dead.
	canceled bool
}

// Dead reports whether the link was checked and does not work.
func (r Result) Dead() bool { return !r.Alive && !r.Skipped && !r.canceled }

// Checker checks links. It is safe for concurrent use.
type Checker struct {
	client    *http.Client
	timeout   time.Duration
	ttl       time.Duration
	cacheSize int
	base      *url.URL
	userAgent string
	slots     chan struct{}
	now       func() time.Time

	mu       sync.Mutex
	cache    map[string]Result
	inflight map[string]*call
}

// call is a request in flight that other checks of the same URL wait for.
type call struct {
	done chan struct{}
	res  Result
}

// New returns a Checker.
func New(opts Options) *Checker {
	c := &Checker{
		client:    opts.Client,
		timeout:   opts.Timeout,
		ttl:       opts.CacheTTL,
		cacheSize: opts.CacheSize,
		userAgent: opts.UserAgent,
		now:       time.Now,
		cache:     map[string]Result{},
		inflight:  map[string]*call{},
	}
	if c.client == nil {
		c.client = &http.Client{
			Transport: http.DefaultTransport.(*http.Transport).Clone(),
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 10 {
					return errTooManyRedirects
				}
				return nil
			},
		}
	}
	if c.timeout <= 0 {
		c.timeout = 10 * time.Second
	}
	if c.ttl <= 0 {
		c.ttl = 10 * time.Minute
	}
	if c.cacheSize <= 0 {
		c.cacheSize = 10_000
	}
	if c.userAgent == "" {
		c.userAgent = "Sanshen-linkcheck/1"
	}
	n := opts.Concurrency
	if n <= 0 {
		n = 4
	}
	c.slots = make(chan struct{}, n)
	if opts.BaseURL != "" {
		if u, err := url.Parse(opts.BaseURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			c.base = u
		}
	}
	return c
}

var errTooManyRedirects = errors.New("too many redirects")

// target returns the absolute http(s) URL to request for raw, or why it is
// skipped.
func (c *Checker) target(raw string) (string, string) {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.HasPrefix(raw, "#") {
		return "", "a fragment of the page itself"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", "malformed URL: " + err.Error()
	}
	if u.Scheme == "" {
		if c.base == nil {
			return "", "relative link without a base URL"
		}
		u = c.base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "not an http(s) link: " + u.Scheme
	}
	if u.Host == "" {
		return "", "no host"
	}
	u.Fragment = ""
	return u.String(), ""
}

// Check checks urls and returns their results in the same order. It blocks
// until all are done or ctx is cancelled.
func (c *Checker) Check(ctx context.Context, urls []string) []Result {
	out := make([]Result, len(urls))
	var wg sync.WaitGroup
	for i, raw := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = c.checkOne(ctx, raw)
		}()
	}
	wg.Wait()
	return out
}

// CheckAsync checks urls without blocking: done is called once, from another
// goroutine, with the results in the order of urls.
func (c *Checker) CheckAsync(ctx context.Context, urls []string, done func([]Result)) {
	urls = append([]string(nil), urls...)
	go func() { done(c.Check(ctx, urls)) }()
}

func (c *Checker) checkOne(ctx context.Context, raw string) Result {
	target, why := c.target(raw)
	if target == "" {
		return Result{URL: raw, Skipped: true, Err: why, At: c.now()}
	}
	c.mu.Lock()
	if r, ok := c.cache[target]; ok && c.now().Sub(r.At) < c.ttl {
		c.mu.Unlock()
		r.URL = raw
		return r
	}
	cl, waiting := c.inflight[target]
	if !waiting {
		cl = &call{done: make(chan struct{})}
		c.inflight[target] = cl
	}
	c.mu.Unlock()
	if waiting {
		select {
		case <-cl.done:
			r := cl.res
			r.URL = raw
			return r
		case <-ctx.Done():
			return Result{URL: raw, Target: target, Err: ctx.Err().Error(), At: c.now(), canceled: true}
		}
	}
	r := c.fetch(ctx, target)
	r.URL = raw
	c.mu.Lock()
	delete(c.inflight, target)
	if !r.canceled {
		if _, ok := c.cache[target]; !ok && len(c.cache) >= c.cacheSize {
			c.makeRoomLocked()
		}
		c.cache[target] = r
	}
	c.mu.Unlock()
	cl.res = r
	close(cl.done)
	return r
}

// makeRoomLocked drops the expired results from the full cache and, when
// that leaves it more than three quarters full, every other one (a map's
// order is arbitrary), so that the next many fit without another sweep of
// the whole cache. c.mu is held.
func (c *Checker) makeRoomLocked() {
	now := c.now()
	for k, r := range c.cache {
		if now.Sub(r.At) >= c.ttl {
			delete(c.cache, k)
		}
	}
	if len(c.cache) <= c.cacheSize*3/4 {
		return
	}
	drop := true
	for k := range c.cache {
		if drop {
			delete(c.cache, k)
		}
		drop = !drop
	}
}

// fetch requests target with HEAD, then GET when HEAD is refused or fails.
func (c *Checker) fetch(ctx context.Context, target string) Result {
	res := Result{Target: target}
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		res.Err, res.canceled, res.At = ctx.Err().Error(), true, c.now()
		return res
	}
	status, err := c.request(ctx, http.MethodHead, target)
	if err != nil || status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented {
		if ctx.Err() == nil {
			status, err = c.request(ctx, http.MethodGet, target)
		}
	}
	res.At = c.now()
	res.Status = status
	switch {
	case ctx.Err() != nil:
		res.Err, res.canceled = ctx.Err().Error(), true
	case err != nil:
		res.Err = describe(err)
	case status >= 400:
		res.Err = fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	default:
		res.Alive = true
	}
	return res
}

// request makes one request with the per-request timeout and returns the
// final status; a GET reads at most a little of the body.
func (c *Checker) request(ctx context.Context, method, target string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "*/*")
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	return resp.StatusCode, nil
}

// describe says briefly why a request failed.
func describe(err error) string {
	switch {
	case errors.Is(err, errTooManyRedirects):
		return "too many redirects"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timed out"
		}
		return ue.Err.Error()
	}
	return err.Error()
}

// Findings checks the links of doc and returns a links.dead finding (check
// text, severity error) for each dead one, anchored to the link's text. It
// blocks; see FindingsAsync.
func (c *Checker) Findings(ctx context.Context, doc precheck.Document) []precheck.Finding {
	urls := make([]string, len(doc.Links))
	for i, l := range doc.Links {
		urls[i] = l.URL
	}
	return findings(doc, c.Check(ctx, urls))
}

// FindingsAsync is Findings without blocking: done is called once, from
// another goroutine.
func (c *Checker) FindingsAsync(ctx context.Context, doc precheck.Document, done func([]precheck.Finding)) {
	go func() { done(c.Findings(ctx, doc)) }()
}

func findings(doc precheck.Document, results []Result) []precheck.Finding {
	runes := []rune(doc.Text)
	var out []precheck.Finding
	for i, r := range results {
		if !r.Dead() {
			continue
		}
		l := doc.Links[i]
		start, end := max(0, min(l.Start, len(runes))), max(0, min(l.End, len(runes)))
		start = min(start, end)
		reason := r.Err
		zh := zhReason(r)
		out = append(out, precheck.Finding{
			Check: review.CheckText, Rule: precheck.RuleDeadLink, Severity: precheck.SeverityError,
			Start: start, End: end, Excerpt: string(runes[start:end]),
			Message:   fmt.Sprintf("链接无法访问：%s（%s）", shorten(r.URL), zh),
			MessageEN: fmt.Sprintf("dead link: %s (%s)", shorten(r.URL), reason),
		})
	}
	return out
}

// zhReason says in Chinese why a link is dead.
func zhReason(r Result) string {
	switch {
	case r.Status == http.StatusNotFound || r.Status == http.StatusGone:
		return fmt.Sprintf("页面不存在，HTTP %d", r.Status)
	case r.Status >= 500:
		return fmt.Sprintf("服务器错误，HTTP %d", r.Status)
	case r.Status >= 400:
		return fmt.Sprintf("拒绝访问，HTTP %d", r.Status)
	case r.Err == "timed out":
		return "连接超时"
	case r.Err == "too many redirects":
		return "重定向过多"
	default:
		return "无法连接：" + r.Err
	}
}

// shorten keeps a URL readable in a message.
func shorten(u string) string {
	if utf8.RuneCountInString(u) <= 120 {
		return u
	}
	return string([]rune(u)[:117]) + "…"
}
