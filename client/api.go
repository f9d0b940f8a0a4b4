package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"

	"sanshen/review"
)

// HTTPConfig tunes the API client. The zero value is usable: every zero field
// takes the default written next to it.
type HTTPConfig struct {
	ConnectTimeout time.Duration // TCP connect and TLS handshake; default 5 s
	Timeout        time.Duration // one attempt of one request, reply included; default 20 s
	// Retries is how many times an idempotent request is tried again after a
	// network error or a 502/503/504 reply; default 3, negative for none.
	Retries      int
	RetryWait    time.Duration // first back-off; default 200 ms (doubled each time, with jitter)
	RetryMaxWait time.Duration // back-off ceiling; default 3 s
	// CAFile names a PEM file of certificate authorities to trust instead of
	// the system's (for an office's own CA).
	CAFile string
	// TLS, when set, is used as is (CAFile is then added to its RootCAs).
	TLS *tls.Config
	// MaxReplyBytes caps the size of a reply read into memory; default 32 MiB.
	MaxReplyBytes int
	Logger        *slog.Logger // default slog.Default(); requests are logged at debug level
	UserAgent     string
}

func (c HTTPConfig) withDefaults() HTTPConfig {
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 5 * time.Second
	}
	if c.Timeout <= 0 {
		c.Timeout = 20 * time.Second
	}
	if c.Retries == 0 {
		c.Retries = 3
	} else if c.Retries < 0 {
		c.Retries = 0
	}
	if c.RetryWait <= 0 {
		c.RetryWait = 200 * time.Millisecond
	}
	if c.RetryMaxWait <= 0 {
		c.RetryMaxWait = 3 * time.Second
	}
	if c.MaxReplyBytes <= 0 {
		c.MaxReplyBytes = 32 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.UserAgent == "" {
		c.UserAgent = "sanshen-client/1"
	}
	return c
}

// API is a client of the review server's REST API (/api/v1). It is safe for
// concurrent use. Idempotent requests (GETs, and decisions, which carry their
// own id) are retried with exponential back-off and jitter on network errors
// and 502/503/504; logins and the creation of items and versions are sent once.
type API struct {
	base     string
	retrying *resty.Client
	once     *resty.Client
	cfg      HTTPConfig

	mu    sync.RWMutex
	token string
}

// NewAPI returns a client of the server at baseURL (e.g. "https://review.example.gov.cn").
func NewAPI(baseURL string, cfg HTTPConfig) (*API, error) {
	base, err := NormalizeServerURL(baseURL)
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLS != nil {
		tlsCfg = cfg.TLS.Clone()
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read CA file: %w", err)
		}
		pool := tlsCfg.RootCAs
		if pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", cfg.CAFile)
		}
		tlsCfg.RootCAs = pool
	}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSClientConfig:     tlsCfg,
		TLSHandshakeTimeout: cfg.ConnectTimeout,
		// One server: keep as many idle connections to it as requests
		// may be in flight, so that a burst (decisions made in a batch)
		// reuses connections instead of dialing one per request once 16
		// are idle (BenchmarkDecideParallel256 942-1,072 -> 1,156-1,192
		// decisions/s in two A/B rounds, BENCHMARKS.md ## client). Idle
		// ones close after 90 s.
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}
	hc := &http.Client{Transport: transport, Timeout: cfg.Timeout}
	once := resty.NewWithClient(hc).
		SetLogger(restyLogger{cfg.Logger}).
		SetResponseBodyLimit(cfg.MaxReplyBytes).
		SetHeader("User-Agent", cfg.UserAgent).
		SetHeader("Accept", "application/json").
		SetRedirectPolicy(resty.NoRedirectPolicy())
	retrying := once.Clone().
		SetRetryCount(cfg.Retries).
		SetRetryWaitTime(cfg.RetryWait).
		SetRetryMaxWaitTime(cfg.RetryMaxWait).
		AddRetryCondition(shouldRetry)
	return &API{base: base, once: once, retrying: retrying, cfg: cfg}, nil
}

// NormalizeServerURL checks a server address and returns it without a
// trailing slash; a bare host:port gets https://.
func NormalizeServerURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("未指定服务器地址 (no server address given)")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("server address %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("server address %q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("server address %q has no host", raw)
	}
	u.RawQuery, u.Fragment = "", ""
	return strings.TrimRight(u.String(), "/"), nil
}

// BaseURL returns the server's address.
func (a *API) BaseURL() string { return a.base }

// SetToken sets the bearer token sent with every request.
func (a *API) SetToken(token string) {
	a.mu.Lock()
	a.token = token
	a.mu.Unlock()
}

// Token returns the bearer token.
func (a *API) Token() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.token
}

// shouldRetry decides whether resty tries an idempotent request again: on
// network errors and 502/503/504 only, never on another status.
func shouldRetry(resp *resty.Response, err error) bool {
	if err != nil {
		return retryableError(err)
	}
	if resp == nil {
		return false
	}
	switch resp.StatusCode() {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableError reports whether a transport error may go away on its own.
func retryableError(err error) bool {
	// The caller's own cancellation is checked by resty before this; a
	// per-attempt timeout is worth another try.
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, resty.ErrResponseBodyTooLarge) {
		return false
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &invalid) || errors.As(err, &recordErr) {
		return false
	}
	return true
}

// call describes one request.
type call struct {
	method     string
	path       string // under the base URL, e.g. "/api/v1/queue"
	query      url.Values
	body       any
	idempotent bool
	headers    map[string]string
}

func (c call) op() string { return c.method + " " + c.path }

// reply is what came back from a request that reached the server.
type reply struct {
	status      int
	contentType string
	body        []byte
}

// do sends c and returns the reply. A 4xx/5xx reply becomes a *ServerError,
// a transport failure (or 502/503/504 after the retries) a *NetworkError.
func (a *API) do(ctx context.Context, c call) (reply, error) {
	rc := a.once
	if c.idempotent {
		rc = a.retrying
	}
	req := rc.R().SetContext(ctx)
	if tok := a.Token(); tok != "" {
		req.SetAuthToken(tok)
	}
	for k, v := range c.headers {
		req.SetHeader(k, v)
	}
	if c.query != nil {
		req.SetQueryParamsFromValues(c.query)
	}
	if c.body != nil {
		b, err := json.Marshal(c.body)
		if err != nil {
			return reply{}, fmt.Errorf("%s: encode request: %w", c.op(), err)
		}
		req.SetHeader("Content-Type", "application/json").SetBody(b)
	}
	start := time.Now()
	resp, err := req.Execute(c.method, a.base+c.path)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return reply{}, fmt.Errorf("%s: %w", c.op(), ctxErr)
		}
		if errors.Is(err, resty.ErrResponseBodyTooLarge) {
			re := &ReplyError{Op: c.op(), Err: fmt.Errorf("the reply is larger than %d bytes", a.cfg.MaxReplyBytes)}
			if resp != nil && resp.RawResponse != nil {
				re.Status, re.ContentType = resp.StatusCode(), resp.Header().Get("Content-Type")
			}
			return reply{}, re
		}
		return reply{}, &NetworkError{Op: c.op(), Err: err}
	}
	r := reply{status: resp.StatusCode(), contentType: resp.Header().Get("Content-Type"), body: resp.Body()}
	a.cfg.Logger.Debug("sanshen api", "op", c.op(), "status", r.status, "bytes", len(r.body), "attempts", resp.Request.Attempt, "took", time.Since(start))
	switch {
	case r.status == http.StatusBadGateway || r.status == http.StatusServiceUnavailable || r.status == http.StatusGatewayTimeout:
		return r, &NetworkError{Op: c.op(), Err: a.serverError(r)}
	case r.status >= 400:
		return r, a.serverError(r)
	case r.status >= 300:
		return r, &ReplyError{Op: c.op(), Status: r.status, ContentType: r.contentType, Size: len(r.body),
			Err: fmt.Errorf("unexpected redirect to %q", resp.Header().Get("Location"))}
	}
	return r, nil
}

// errorEnvelope is the server's error reply.
type errorEnvelope struct {
	Error *struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		MessageZH string `json:"message_zh"`
		MessageEN string `json:"message_en"`
	} `json:"error"`
}

// serverError turns an error reply into a *ServerError, whatever its body.
func (a *API) serverError(r reply) *ServerError {
	se := &ServerError{Status: r.status}
	var env errorEnvelope
	if err := json.Unmarshal(r.body, &env); err == nil && env.Error != nil {
		se.Code, se.Message, se.MessageZH, se.MessageEN = env.Error.Code, env.Error.Message, env.Error.MessageZH, env.Error.MessageEN
		return se
	}
	// Not our envelope: an HTML page from a proxy, plain text, nothing. Of
	// an HTML page only the title is kept; nothing of it is ever rendered.
	text := bytes.TrimSpace(r.body)
	if m := htmlTitle.FindSubmatch(text); m != nil && len(bytes.TrimSpace(m[1])) > 0 {
		text = bytes.TrimSpace(m[1])
	}
	if len(text) > 0 {
		kind := "reply"
		if ct := r.contentType; ct != "" {
			kind = ct
		}
		se.Message = fmt.Sprintf("%s (%s: %s)", http.StatusText(r.status), kind, snippet(text, 120))
	}
	return se
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// decode parses a JSON reply into out, with a clear error when it is not JSON
// or not of the expected shape.
func decode(op string, r reply, out any) error {
	dec := json.NewDecoder(bytes.NewReader(r.body))
	err := dec.Decode(out)
	if err == nil && dec.More() {
		err = errors.New("extra data after the JSON value")
	}
	if err != nil {
		var what error
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case len(bytes.TrimSpace(r.body)) == 0:
			what = errors.New("the reply is empty")
		case errors.As(err, &typeErr) && typeErr.Field == "":
			what = fmt.Errorf("the reply is a JSON %s where %s was expected", typeErr.Value, jsonKind(typeErr.Type))
		case errors.As(err, &typeErr):
			what = fmt.Errorf("field %q holds a JSON %s where %s was expected", typeErr.Field, typeErr.Value, jsonKind(typeErr.Type))
		case errors.As(err, &syntaxErr):
			what = fmt.Errorf("not valid JSON at byte %d: %v", syntaxErr.Offset, err)
		case errors.Is(err, io.ErrUnexpectedEOF):
			what = errors.New("the JSON is cut short")
		default:
			what = err
		}
		return &ReplyError{Op: op, Status: r.status, ContentType: r.contentType, Size: len(r.body), Snippet: snippet(r.body, 80), Err: what}
	}
	if v, ok := out.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return &ReplyError{Op: op, Status: r.status, ContentType: r.contentType, Size: len(r.body), Snippet: snippet(r.body, 80), Err: err}
		}
	}
	return nil
}

// jsonKind names what JSON a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// get performs an idempotent GET and decodes the reply into out.
func (a *API) get(ctx context.Context, path string, query url.Values, out any) error {
	c := call{method: http.MethodGet, path: path, query: query, idempotent: true}
	r, err := a.do(ctx, c)
	if err != nil {
		return err
	}
	return decode(c.op(), r, out)
}

// LoginReply is the server's answer to a successful login.
type LoginReply struct {
	Token string      `json:"token"`
	User  review.User `json:"user"`
}

func (l *LoginReply) validate() error {
	if l.Token == "" {
		return errors.New("the login reply has no token")
	}
	if l.User.Username == "" {
		return errors.New("the login reply has no user")
	}
	return nil
}

// Login exchanges a username and password for a token. It is sent once,
// never retried (the server throttles failed logins). The token is not kept:
// call SetToken.
func (a *API) Login(ctx context.Context, username, password string) (LoginReply, error) {
	c := call{method: http.MethodPost, path: "/api/v1/login", body: map[string]string{"username": username, "password": password}}
	r, err := a.do(ctx, c)
	if err != nil {
		return LoginReply{}, err
	}
	var out LoginReply
	return out, decode(c.op(), r, &out)
}

type userReply review.User

func (u *userReply) validate() error {
	if u.Username == "" {
		return errors.New("the user has no username")
	}
	return nil
}

// Logout ends the token on the server. It is sent once.
func (a *API) Logout(ctx context.Context) error {
	_, err := a.do(ctx, call{method: http.MethodPost, path: "/api/v1/logout"})
	return err
}

// Me returns the signed-in user.
func (a *API) Me(ctx context.Context) (review.User, error) {
	var u userReply
	err := a.get(ctx, "/api/v1/me", nil, &u)
	return review.User(u), err
}

// Health checks that the server answers /healthz.
func (a *API) Health(ctx context.Context) error {
	_, err := a.do(ctx, call{method: http.MethodGet, path: "/healthz", idempotent: true})
	return err
}

// QueueItem is one entry of the caller's queue.
type QueueItem struct {
	ID         string       `json:"id"`
	Title      string       `json:"title"`
	Column     string       `json:"column"`
	Department string       `json:"department"`
	Stage      review.Stage `json:"stage"`
	Version    int          `json:"version"`
	SHA256     string       `json:"sha256"`
	UpdatedAt  time.Time    `json:"updated_at"`
	// Removed is set in an incremental page for an item that left the queue.
	Removed bool `json:"removed,omitempty"`
}

// Cursor is the server's opaque sync position; the server may send it as a
// JSON string or number.
type Cursor string

// UnmarshalJSON accepts a string, a number or null.
func (c *Cursor) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*c = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*c = Cursor(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("cursor is neither a string nor a number: %w", err)
		}
		*c = Cursor(n.String())
	}
	return nil
}

// QueuePage is one reply of GET /api/v1/queue.
type QueuePage struct {
	Items  []QueueItem `json:"items"`
	Cursor Cursor      `json:"cursor"`
	// Full is set when the page is the whole queue even though a cursor was
	// given (the server did not know the cursor).
	Full bool `json:"full"`
	// RemovedIDs lists items that left the queue, for servers that report
	// them apart from Items (as "removed": ["id", …] or [{"id": …}, …]).
	RemovedIDs []string `json:"-"`
}

// queueWire is the reply as sent; Items is a pointer to tell a missing list
// from an empty one. validate makes page.
type queueWire struct {
	Items   *[]QueueItem    `json:"items"`
	Cursor  Cursor          `json:"cursor"`
	Full    bool            `json:"full"`
	Removed json.RawMessage `json:"removed"`

	page QueuePage
}

func (w *queueWire) validate() error {
	if w.Items == nil {
		return errors.New(`the queue reply has no "items"`)
	}
	w.page = QueuePage{Items: *w.Items, Cursor: w.Cursor, Full: w.Full}
	if err := w.page.validate(); err != nil {
		return err
	}
	if len(w.Removed) > 0 && !bytes.Equal(bytes.TrimSpace(w.Removed), []byte("null")) {
		var ids []string
		if err := json.Unmarshal(w.Removed, &ids); err != nil {
			// Not ids: what a failed decode left in ids is not kept.
			var objs []struct {
				ID string `json:"id"`
			}
			if err2 := json.Unmarshal(w.Removed, &objs); err2 != nil {
				return fmt.Errorf(`"removed" is neither a list of ids nor of objects: %w`, err)
			}
			ids = make([]string, len(objs))
			for i, o := range objs {
				ids[i] = o.ID
			}
		}
		w.page.RemovedIDs = ids
	}
	return nil
}

func (p *QueuePage) validate() error {
	for i, it := range p.Items {
		if it.ID == "" {
			return fmt.Errorf("queue entry %d has no id", i)
		}
		if it.Removed {
			continue
		}
		if it.Version < 1 {
			return fmt.Errorf("queue entry %s has version %d", it.ID, it.Version)
		}
	}
	return nil
}

// Queue returns the caller's queue: all of it when since is empty, otherwise
// what changed after that cursor (items that left it marked removed).
func (a *API) Queue(ctx context.Context, since Cursor) (QueuePage, error) {
	var q url.Values
	if since != "" {
		q = url.Values{"since": {string(since)}}
	}
	var w queueWire
	if err := a.get(ctx, "/api/v1/queue", q, &w); err != nil {
		return QueuePage{}, err
	}
	return w.page, nil
}

type itemReply struct {
	review.Item
	Version int    `json:"version"`
	SHA256  string `json:"sha256"`
}

func (r *itemReply) validate() error {
	if r.ID == "" {
		return errors.New("the item has no id")
	}
	if len(r.Versions) == 0 {
		return fmt.Errorf("item %s has no versions", r.ID)
	}
	for i, v := range r.Versions {
		if v.Number != i+1 {
			return fmt.Errorf("item %s: version %d is numbered %d", r.ID, i+1, v.Number)
		}
		if len(v.SHA256) != 64 {
			return fmt.Errorf("item %s: version %d has no SHA-256", r.ID, v.Number)
		}
	}
	return nil
}

// Item returns an item with its versions (metadata only) and approvals.
func (a *API) Item(ctx context.Context, id string) (review.Item, error) {
	var r itemReply
	err := a.get(ctx, "/api/v1/items/"+url.PathEscape(id), nil, &r)
	return r.Item, err
}

// VersionBody is the content of one version.
type VersionBody struct {
	Number      int    `json:"number"`
	SHA256      string `json:"sha256"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	ContentType string `json:"content_type"`
}

func (v *VersionBody) validate() error {
	if v.Number < 1 {
		return fmt.Errorf("version number %d", v.Number)
	}
	// The body must be exactly what its hash names: what the reviewer reads
	// is what the decision signs.
	_, sum, err := review.Hash(v.Body)
	if err != nil {
		return fmt.Errorf("version %d body: %w", v.Number, err)
	}
	if sum != v.SHA256 {
		return fmt.Errorf("version %d: the body's SHA-256 is %.12s…, the server says %.12s…", v.Number, sum, v.SHA256)
	}
	return nil
}

// Version returns the body of version n of an item, checked against its hash.
func (a *API) Version(ctx context.Context, id string, n int) (VersionBody, error) {
	var v VersionBody
	err := a.get(ctx, "/api/v1/items/"+url.PathEscape(id)+"/versions/"+strconv.Itoa(n), nil, &v)
	return v, err
}

type eventsReply struct {
	Events []review.Event `json:"events"`
}

func (e *eventsReply) validate() error {
	if e.Events == nil {
		return errors.New(`the reply has no "events"`)
	}
	return nil
}

// Events returns an item's audit trail, oldest first.
func (a *API) Events(ctx context.Context, id string) ([]review.Event, error) {
	var r eventsReply
	err := a.get(ctx, "/api/v1/items/"+url.PathEscape(id)+"/events", nil, &r)
	return r.Events, err
}

// DecisionReply is the server's answer to an accepted decision.
type DecisionReply struct {
	// Created is true on 201 (the server acted now), false on 200 (the
	// server had this decision id already and did not act again).
	Created bool
	// Item is the item after the decision and Events the audit events the
	// decision made, when the reply carried them (a 200 repeats the first
	// answer, so they may be old).
	Item   *review.Item
	Events []review.Event
}

type decisionReplyBody struct {
	Item   *itemReply     `json:"item"`
	Events []review.Event `json:"events"`
}

// PostDecision sends a decision. Its id is the idempotency key, so the
// request is retried on network errors: the server acts once.
func (a *API) PostDecision(ctx context.Context, itemID string, d review.Decision) (DecisionReply, error) {
	if d.ID == "" {
		return DecisionReply{}, errors.New("a decision needs its id before it is sent")
	}
	c := call{method: http.MethodPost, path: "/api/v1/items/" + url.PathEscape(itemID) + "/decisions", body: d,
		idempotent: true, headers: map[string]string{"Idempotency-Key": d.ID}}
	r, err := a.do(ctx, c)
	if err != nil {
		return DecisionReply{}, err
	}
	if r.status != http.StatusCreated && r.status != http.StatusOK {
		return DecisionReply{}, &ReplyError{Op: c.op(), Status: r.status, ContentType: r.contentType, Size: len(r.body),
			Err: errors.New("expected 200 or 201")}
	}
	out := DecisionReply{Created: r.status == http.StatusCreated}
	// The status is the answer; the body is a bonus. A body that cannot be
	// read does not make an accepted decision fail.
	var body decisionReplyBody
	if err := json.Unmarshal(r.body, &body); err == nil && body.Item != nil && body.Item.validate() == nil && body.Item.ID == itemID {
		out.Item, out.Events = &body.Item.Item, body.Events
	}
	return out, nil
}

// NewItem is what a submitter sends to create an item.
type NewItem struct {
	Title       string `json:"title"`
	Column      string `json:"column"`
	Body        string `json:"body"`
	ContentType string `json:"content_type"`
	RepostFrom  string `json:"repost_from,omitempty"`
	// ProposedDisclosure is the submitter's proposal, only a proposal.
	ProposedDisclosure review.Disclosure `json:"proposed_disclosure,omitempty"`
}

// CreateItem submits a new item (role submitter). It is not retried: after
// a network error, look at the queue before trying again.
func (a *API) CreateItem(ctx context.Context, n NewItem) (review.Item, error) {
	c := call{method: http.MethodPost, path: "/api/v1/items", body: n}
	r, err := a.do(ctx, c)
	if err != nil {
		return review.Item{}, err
	}
	var out itemReply
	return out.Item, decode(c.op(), r, &out)
}

// AddVersion stores a new version of an item: a submitter's resubmission
// (kind submission) or a reviewer's proofread. It is not retried.
func (a *API) AddVersion(ctx context.Context, itemID, body string, kind review.VersionKind) (review.Item, error) {
	c := call{method: http.MethodPost, path: "/api/v1/items/" + url.PathEscape(itemID) + "/versions",
		body: map[string]string{"body": body, "kind": string(kind)}}
	r, err := a.do(ctx, c)
	if err != nil {
		return review.Item{}, err
	}
	var out itemReply
	return out.Item, decode(c.op(), r, &out)
}

// Publish marks an approved item published (role office), naming the hash
// that is to be published. It is not retried.
func (a *API) Publish(ctx context.Context, itemID, sha256 string) (review.Item, error) {
	c := call{method: http.MethodPost, path: "/api/v1/items/" + url.PathEscape(itemID) + "/publish", body: map[string]string{"sha256": sha256}}
	r, err := a.do(ctx, c)
	if err != nil {
		return review.Item{}, err
	}
	var out itemReply
	return out.Item, decode(c.op(), r, &out)
}

// restyLogger sends resty's own messages to slog at debug level, so a
// retry does not print on a user's terminal.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(format string, v ...any) {
	r.l.Debug("resty: " + fmt.Sprintf(format, v...))
}
func (r restyLogger) Warnf(format string, v ...any) { r.l.Debug("resty: " + fmt.Sprintf(format, v...)) }
func (r restyLogger) Debugf(format string, v ...any) {
	r.l.Debug("resty: " + fmt.Sprintf(format, v...))
}
