// Package clienttest runs the real review server (package server) on
// loopback with a real SQLite file, for tests of the client and of what is
// built on it. The server can be stopped and started again at the same
// address, which is how tests take the client offline.
//
// It talks to the server over plain HTTP and JSON, not through package
// client, so that the client's own tests can use it.
package clienttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"sanshen/review"
	"sanshen/server"
)

// Password is every test user's password.
const Password = "correct-horse-42"

// Column is the column test items go to.
const Column = "新闻动态"

// Users are the accounts Start creates, by username.
var Users = map[string][]review.Role{
	"sub":    {review.RoleSubmitter},
	"rev":    {review.RoleReviewer},
	"rev2":   {review.RoleReviewer},
	"head":   {review.RoleHead},
	"both":   {review.RoleSubmitter, review.RoleReviewer},
	"leader": {review.RoleLeader},
	"office": {review.RoleOffice},
}

// Server is a running review server.
type Server struct {
	t      testing.TB
	DBPath string
	Addr   string // host:port, fixed after the first start
	URL    string // http://Addr

	mu     sync.Mutex
	srv    *server.Server
	hs     *http.Server
	client *http.Client
	tokens map[string]string
}

// Start starts a server with a column and the Users, and stops it when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := StartDetached(t, t.TempDir())
	t.Cleanup(s.Stop)
	return s
}

// StartDetached is Start for a server shared by several tests or benchmark
// runs: its database is made in dir and nothing stops it when t ends (call
// Stop). t only reports set-up failures.
func StartDetached(t testing.TB, dir string) *Server {
	t.Helper()
	s := &Server{t: t, DBPath: filepath.Join(dir, "server.sqlite"), tokens: map[string]string{},
		client: &http.Client{Timeout: 30 * time.Second}}
	s.Restart()
	ctx := context.Background()
	if err := s.srv.AddColumn(ctx, server.Column{Name: Column, Kind: server.ColumnNews, Department: "宣传教育处",
		Person: "王芳", UpdateRule: server.UpdateWeekly}); err != nil {
		t.Fatal(err)
	}
	for name, roles := range Users {
		if err := s.srv.AddUser(ctx, name, name, Password, roles, "宣传教育处"); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// Server returns the server's Go API (nil while stopped).
func (s *Server) Server() *server.Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv
}

// Restart opens the database and serves it at Addr (a free port the first
// time). It waits for the port if the previous run still holds it.
func (s *Server) Restart() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hs != nil {
		return
	}
	srv, err := server.Open(context.Background(), server.Config{DBPath: s.DBPath, InsecureFastPasswords: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		s.t.Fatal(err)
	}
	addr := s.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var ln net.Listener
	for i := 0; ; i++ {
		ln, err = net.Listen("tcp", addr)
		if err == nil || i == 100 || !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		srv.Close()
		s.t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	s.URL = "http://" + s.Addr
	s.srv = srv
	s.hs = &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go s.hs.Serve(ln)
}

// Stop closes the listener and every connection, then the database. The
// client sees connection refused until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hs == nil {
		return
	}
	s.hs.Close()
	s.srv.Close()
	s.hs, s.srv = nil, nil
}

// call sends a JSON request as user (signing in once) and decodes the reply.
func (s *Server) call(t testing.TB, user, method, path string, body, out any) int {
	t.Helper()
	token := s.token(t, user)
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s as %s: HTTP %d: %s", method, path, user, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func (s *Server) token(t testing.TB, user string) string {
	t.Helper()
	s.mu.Lock()
	tok, ok := s.tokens[user]
	s.mu.Unlock()
	if ok {
		return tok
	}
	b, _ := json.Marshal(map[string]string{"username": user, "password": Password})
	resp, err := s.client.Post(s.URL+"/api/v1/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login %s: HTTP %d %v", user, resp.StatusCode, err)
	}
	s.mu.Lock()
	s.tokens[user] = out.Token
	s.mu.Unlock()
	return out.Token
}

// Submit creates n plain-text items as user (a submitter) and returns their ids.
func (s *Server) Submit(t testing.TB, user string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		var it struct {
			ID string `json:"id"`
		}
		s.call(t, user, http.MethodPost, "/api/v1/items", map[string]string{
			"title":        fmt.Sprintf("关于做好第%d批城市道路清扫保洁工作的通知", i+1),
			"column":       Column,
			"content_type": review.ContentPlain,
			"body": fmt.Sprintf("各区城市管理委员会：\n\n为进一步提升城市道路清扫保洁质量（第%d批），现将有关事项通知如下。\n"+
				"一、加强日常巡查。\n二、落实责任分工。\n", i+1),
		}, &it)
		ids[i] = it.ID
	}
	return ids
}

// SubmitBody creates one item with the given title and plain-text body as
// user and returns its id.
func (s *Server) SubmitBody(t testing.TB, user, title, body string) string {
	t.Helper()
	return s.SubmitBodyAs(t, user, title, review.ContentPlain, body)
}

// SubmitBodyAs is SubmitBody with the body's content type (text/plain or
// text/html); later versions keep it.
func (s *Server) SubmitBodyAs(t testing.TB, user, title, contentType, body string) string {
	t.Helper()
	var it struct {
		ID string `json:"id"`
	}
	s.call(t, user, http.MethodPost, "/api/v1/items", map[string]string{
		"title": title, "column": Column, "content_type": contentType, "body": body}, &it)
	return it.ID
}

// AddVersion stores a new version of an item as user (kind "proofread" or
// "submission").
func (s *Server) AddVersion(t testing.TB, user, itemID, body string, kind review.VersionKind) {
	t.Helper()
	s.call(t, user, http.MethodPost, "/api/v1/items/"+itemID+"/versions", map[string]string{"body": body, "kind": string(kind)}, nil)
}

// Events returns an item's audit trail.
func (s *Server) Events(t testing.TB, itemID string) []review.Event {
	t.Helper()
	var out struct {
		Events []review.Event `json:"events"`
	}
	s.call(t, "head", http.MethodGet, "/api/v1/items/"+itemID+"/events", nil, &out)
	return out.Events
}

// Effects counts the human decisions (approved, signed off, returned,
// rejected) actor made on an item, as the server recorded them.
func (s *Server) Effects(t testing.TB, itemID, actor string) int {
	t.Helper()
	n := 0
	for _, e := range s.Events(t, itemID) {
		switch e.Kind {
		case review.EventApproved, review.EventReturned, review.EventRejected, review.EventSignedOff:
			if e.Actor == actor {
				n++
			}
		}
	}
	return n
}
