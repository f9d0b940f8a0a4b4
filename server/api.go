package server

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sanshen/review"
)

//go:embed openapi.json
var openAPIDoc []byte

// route is one endpoint of the API. The same table registers the handlers
// and is checked against openapi.json by a test.
type route struct {
	Method  string
	Pattern string // net/http pattern path: /api/v1/items/{id}
	Auth    bool   // needs a bearer token
	handle  func(s *Server, w http.ResponseWriter, r *http.Request, u review.User) error
}

// apiRoutes lists every endpoint.
var apiRoutes = []route{
	{"GET", "/healthz", false, (*Server).handleHealth},
	{"GET", "/api/v1/openapi.json", false, (*Server).handleOpenAPI},
	{"POST", "/api/v1/login", false, (*Server).handleLogin},
	{"POST", "/api/v1/logout", true, (*Server).handleLogout},
	{"GET", "/api/v1/me", true, (*Server).handleMe},
	{"GET", "/api/v1/columns", true, (*Server).handleColumns},
	{"GET", "/api/v1/queue", true, (*Server).handleQueue},
	{"GET", "/api/v1/items", true, (*Server).handleListItems},
	{"POST", "/api/v1/items", true, (*Server).handleCreateItem},
	{"GET", "/api/v1/items/{id}", true, (*Server).handleGetItem},
	{"GET", "/api/v1/items/{id}/versions/{n}", true, (*Server).handleGetVersion},
	{"POST", "/api/v1/items/{id}/versions", true, (*Server).handleAddVersion},
	{"POST", "/api/v1/items/{id}/decisions", true, (*Server).handleDecision},
	{"POST", "/api/v1/items/{id}/publish", true, (*Server).handlePublish},
	{"GET", "/api/v1/items/{id}/events", true, (*Server).handleEvents},
}

// routes builds the handler: the API mux, JSON 404/405 for the rest,
// panics turned into 500, and a log line per request.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range apiRoutes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.endpoint(rt))
	}
	return s.logRequests(s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		var allowed []string
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, p := mux.Handler(probe); p != "" {
				allowed = append(allowed, m)
			}
		}
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			s.writeError(w, r, newAPIError(http.StatusMethodNotAllowed, "method-not-allowed",
				fmt.Sprintf("%s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, strings.Join(allowed, ", ")), "不支持该请求方法"))
			return
		}
		s.writeError(w, r, newAPIError(http.StatusNotFound, "not-found",
			fmt.Sprintf("no endpoint %s %s (see /api/v1/openapi.json)", r.Method, r.URL.Path), "接口不存在"))
	})))
}

func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBody)
		var u review.User
		if rt.Auth {
			var err error
			if u, err = s.authenticate(r.Context(), r); err != nil {
				s.writeError(w, r, err)
				return
			}
			setLogUser(r, u.Username)
		}
		if err := rt.handle(s, w, r, u); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	return writeRawJSON(w, status, b)
}

func writeRawJSON(w http.ResponseWriter, status int, b []byte) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(append(b, '\n'))
	return err
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ae, known := asAPIError(err)
	if !known {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if ae.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
	}
	setLogCode(r, ae.Code)
	writeJSON(w, ae.Status, errorBody{Error: errorDetail{Code: ae.Code, Message: ae.Message, MessageZH: ae.MessageZH, Kind: ae.Kind}})
}

// readJSON decodes the request body into v with errors that say what was
// wrong: too large (413), not UTF-8, not JSON, a field of the wrong type,
// trailing data (400). Unknown fields are ignored.
func readJSON(r *http.Request, v any) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeJSON(b, v)
}

// readBody reads the request body whole: too large is 413.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, newAPIError(http.StatusRequestEntityTooLarge, "body-too-large",
				fmt.Sprintf("the request body is larger than %d bytes", mbe.Limit), fmt.Sprintf("请求内容超过 %d 字节上限", mbe.Limit))
		}
		return nil, newAPIError(http.StatusBadRequest, "bad-request", "reading the request body failed: "+err.Error(), "读取请求内容失败")
	}
	return b, nil
}

// decodeJSON is readJSON's decoding of a body already read.
func decodeJSON(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return newAPIError(http.StatusBadRequest, "bad-json", "the request body is empty; a JSON object was expected", "请求内容为空，应为 JSON 对象")
	}
	if !utf8.Valid(b) {
		off := len(b)
		for i := 0; i < len(b); {
			rn, size := utf8.DecodeRune(b[i:])
			if rn == utf8.RuneError && size <= 1 {
				off = i
				break
			}
			i += size
		}
		return newAPIError(http.StatusBadRequest, "invalid-utf8",
			fmt.Sprintf("the request body is not valid UTF-8 (first bad byte at offset %d)", off),
			fmt.Sprintf("请求内容不是有效的 UTF-8 编码（第 %d 字节处）", off))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return newAPIError(http.StatusBadRequest, "bad-json", fmt.Sprintf("the request body is not valid JSON: %v (at byte %d)", se, se.Offset),
				fmt.Sprintf("请求内容不是有效的 JSON（第 %d 字节处）", se.Offset))
		case errors.As(err, &te):
			field := te.Field
			if field == "" {
				return newAPIError(http.StatusBadRequest, "bad-json", fmt.Sprintf("the request body must be a JSON object, not %s", te.Value),
					"请求内容应为 JSON 对象")
			}
			return newAPIError(http.StatusBadRequest, "bad-json", fmt.Sprintf("field %q must be %s, not %s", field, jsonKind(te.Type.Kind().String()), te.Value),
				fmt.Sprintf("字段 %q 的类型错误", field))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return newAPIError(http.StatusBadRequest, "bad-json", "the request body is truncated JSON", "请求内容是不完整的 JSON")
		}
		return newAPIError(http.StatusBadRequest, "bad-json", "the request body is not valid JSON: "+err.Error(), "请求内容不是有效的 JSON")
	}
	if dec.More() {
		return newAPIError(http.StatusBadRequest, "bad-json", "the request body has data after the JSON object", "JSON 对象之后有多余内容")
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	}
	return goKind
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request, _ review.User) error {
	if err := s.rdb.PingContext(r.Context()); err != nil {
		return newAPIError(http.StatusServiceUnavailable, "unhealthy", "the database does not answer", "数据库无响应")
	}
	return writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "schema_version": SchemaVersion()})
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request, _ review.User) error {
	return writeRawJSON(w, http.StatusOK, bytes.TrimRight(openAPIDoc, "\n"))
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string      `json:"token"`
	ExpiresAt time.Time   `json:"expires_at"`
	User      review.User `json:"user"`
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, _ review.User) error {
	var req loginRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	if req.Username == "" || req.Password == "" {
		return newAPIError(http.StatusBadRequest, "credentials-required", "send a username and a password", "请输入用户名和密码")
	}
	userKey, addrKey := "user:"+req.Username, "addr:"+clientAddr(r)
	now := s.now()
	if d := s.throttle.wait(now, userKey, addrKey); d > 0 {
		secs := int((d + time.Second - 1) / time.Second)
		return &apiError{Status: http.StatusTooManyRequests, Code: "too-many-attempts",
			Message:   fmt.Sprintf("too many failed logins; try again in %d s", secs),
			MessageZH: fmt.Sprintf("登录失败次数过多，请 %d 秒后再试", secs), RetryAfter: secs}
	}
	token, u, expires, err := s.login(r.Context(), req.Username, req.Password)
	if err != nil {
		return err
	}
	if u == nil {
		s.throttle.fail(now, map[string]int{userKey: userFreeFailures, addrKey: addrFreeFailures})
		s.log.Warn("login failed", "username", req.Username, "addr", clientAddr(r))
		return newAPIError(http.StatusUnauthorized, "bad-credentials", "wrong username or password", "用户名或密码错误")
	}
	s.throttle.succeed(userKey)
	setLogUser(r, u.Username)
	return writeJSON(w, http.StatusOK, loginResponse{Token: token, ExpiresAt: expires, User: *u})
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, _ review.User) error {
	if err := s.logout(r.Context(), r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, u review.User) error {
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) handleColumns(w http.ResponseWriter, r *http.Request, _ review.User) error {
	cols, err := s.Columns(r.Context())
	if err != nil {
		return err
	}
	if cols == nil {
		cols = []Column{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"columns": cols})
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request, u review.User) error {
	since := int64(-1)
	if c := r.URL.Query().Get("since"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 0 {
			return newAPIError(http.StatusBadRequest, "bad-cursor", fmt.Sprintf("since=%q is not a cursor this server gave out", c), "同步游标无效")
		}
		since = n
	}
	res, err := s.queue(r.Context(), u, since)
	if err != nil {
		return err
	}
	items := make([]any, 0, len(res.Items)+len(res.Removed))
	for _, it := range res.Items {
		items = append(items, newQueueEntry(it))
	}
	for _, id := range res.Removed {
		items = append(items, removedEntry{ID: id, Removed: true})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items, "cursor": strconv.FormatInt(res.Cursor, 10), "full": res.Full})
}

func (s *Server) handleListItems(w http.ResponseWriter, r *http.Request, u review.User) error {
	q := r.URL.Query()
	f := itemFilter{Column: q.Get("column"), Submitter: q.Get("submitter"), Limit: 200}
	if f.Submitter == "me" {
		f.Submitter = u.Username
	}
	if st := q.Get("status"); st != "" {
		for _, v := range strings.Split(st, ",") {
			switch review.Status(v) {
			case review.StatusInReview, review.StatusReturned, review.StatusRejected, review.StatusApproved, review.StatusPublished:
				f.Statuses = append(f.Statuses, v)
			default:
				return newAPIError(http.StatusBadRequest, "bad-status", fmt.Sprintf("unknown status %q", v), fmt.Sprintf("未知的稿件状态 %q", v))
			}
		}
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return newAPIError(http.StatusBadRequest, "bad-limit", "limit must be a number from 1 to 1000", "limit 应为 1 到 1000 之间的数字")
		}
		f.Limit = n
	}
	its, err := s.listItems(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]queueEntry, 0, len(its))
	for _, it := range its {
		out = append(out, newQueueEntry(it))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (s *Server) writeItem(w http.ResponseWriter, r *http.Request, status int, it review.Item, u review.User) error {
	view, err := buildItemView(r.Context(), s.reads, it, u)
	if err != nil {
		return err
	}
	return writeJSON(w, status, view)
}

func (s *Server) handleCreateItem(w http.ResponseWriter, r *http.Request, u review.User) error {
	var req createItemRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	it, err := s.createItem(r.Context(), u, req, s.now())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/items/"+it.ID)
	return s.writeItem(w, r, http.StatusCreated, it, u)
}

func (s *Server) handleGetItem(w http.ResponseWriter, r *http.Request, u review.User) error {
	it, err := loadItem(r.Context(), s.reads, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.writeItem(w, r, http.StatusOK, it, u)
}

func (s *Server) handleGetVersion(w http.ResponseWriter, r *http.Request, _ review.User) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		return errNotFound("version")
	}
	v, err := s.loadVersion(r.Context(), r.PathValue("id"), n)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (s *Server) handleAddVersion(w http.ResponseWriter, r *http.Request, u review.User) error {
	var req addVersionRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	it, err := s.addVersion(r.Context(), u, r.PathValue("id"), req, s.now())
	if err != nil {
		return err
	}
	return s.writeItem(w, r, http.StatusCreated, it, u)
}

func (s *Server) handleDecision(w http.ResponseWriter, r *http.Request, u review.User) error {
	var d review.Decision
	if err := readJSON(r, &d); err != nil {
		return err
	}
	status, body, err := s.decide(r.Context(), u, r.PathValue("id"), d, s.now())
	if err != nil {
		return err
	}
	if status == http.StatusOK {
		w.Header().Set("Idempotent-Replay", "true")
	}
	return writeRawJSON(w, status, body)
}

type publishRequest struct {
	SHA256 string `json:"sha256"`
}

func (s *Server) handlePublish(w http.ResponseWriter, r *http.Request, u review.User) error {
	var req publishRequest
	// The body is optional; when present it must be JSON.
	b, err := readBody(r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) > 0 {
		if err := decodeJSON(b, &req); err != nil {
			return err
		}
	}
	it, err := s.publish(r.Context(), u, r.PathValue("id"), req.SHA256, s.now())
	if err != nil {
		return err
	}
	return s.writeItem(w, r, http.StatusOK, it, u)
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, _ review.User) error {
	var after int64
	if a := r.URL.Query().Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return newAPIError(http.StatusBadRequest, "bad-after", "after must be an event seq", "after 应为事件序号")
		}
		after = n
	}
	evs, err := s.itemEvents(r.Context(), r.PathValue("id"), after)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"events": eventViews(evs)})
}

// requestLog is filled in by handlers for the request's log line.
type requestLog struct {
	user string
	code string
}

type logKey struct{}

func setLogUser(r *http.Request, user string) {
	if rl, ok := r.Context().Value(logKey{}).(*requestLog); ok {
		rl.user = user
	}
}

func setLogCode(r *http.Request, code string) {
	if rl, ok := r.Context().Value(logKey{}).(*requestLog); ok {
		rl.code = code
	}
}

// statusWriter remembers the status for the log line.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rl := &requestLog{}
		r = r.WithContext(context.WithValue(r.Context(), logKey{}, rl))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", sw.status, "dur", time.Since(start).Round(time.Microsecond)}
		if rl.user != "" {
			attrs = append(attrs, "user", rl.user)
		}
		if rl.code != "" {
			attrs = append(attrs, "code", rl.code)
		}
		s.log.Log(r.Context(), level, "request", attrs...)
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				s.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
