package server

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"sanshen/internal/groupcommit"
	"sanshen/internal/stmtcache"
	"sanshen/review"
)

// Config configures a Server.
type Config struct {
	DBPath   string           // SQLite file; created when missing
	Logger   *slog.Logger     // nil: discard
	Now      func() time.Time // nil: time.Now
	TokenTTL time.Duration    // 0: 12h
	// SecrecyScan returns the secrecy findings of a version body (automated
	// pre-checks). nil: no findings.
	SecrecyScan func(body, contentType string) []review.SecrecyFinding
	// InsecureFastPasswords hashes new passwords with tiny argon2id
	// parameters. For tests only: it makes logins cheap and guessing too.
	InsecureFastPasswords bool
}

// Limits of the API.
const (
	// MaxRequestBody is the largest request body accepted (413 beyond it).
	MaxRequestBody = 10 << 20
	// MaxTitleRunes is the longest title accepted.
	MaxTitleRunes = 500
)

// Server is the review server: its database, accounts and HTTP API.
type Server struct {
	cfg      Config
	log      *slog.Logger
	wdb      *sql.DB        // one connection, BEGIN IMMEDIATE: the writer's
	rdb      *sql.DB        // readers
	reads    stmtcache.Pool // rdb through its prepared statements
	argon    argonParams
	throttle *loginThrottle
	handler  http.Handler
	timeouts httpTimeouts
	closeMu  sync.Mutex
	closed   bool

	// The writer goroutine (writer.go).
	writer    *groupcommit.Writer
	groupHook func(size int) // tests: called with each group's size
}

// Open opens (creating and migrating when needed) the database and returns
// the server. A database written by a newer sanshend is refused with
// ErrSchemaTooNew and left untouched.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 12 * time.Hour
	}
	wdb, rdb, err := openDatabases(ctx, cfg.DBPath)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, wdb); err != nil {
		wdb.Close()
		rdb.Close()
		return nil, fmt.Errorf("open %s: %w", cfg.DBPath, err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, wdb: wdb, rdb: rdb, argon: defaultArgon, throttle: newLoginThrottle(), timeouts: defaultTimeouts}
	if cfg.InsecureFastPasswords {
		s.argon = fastArgon
	}
	s.reads = stmtcache.NewPool(rdb)
	s.handler = s.routes()
	s.startWriter()
	return s, nil
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// Handler returns the whole HTTP API, /healthz included.
func (s *Server) Handler() http.Handler { return s.handler }

// Close lets the writes being committed finish, checkpoints the write-ahead
// log and closes the database. Requests still running get errors; stop the
// HTTP server first (ListenAndServe does on ctx done).
func (s *Server) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	errs := []error{s.stopWriter(), s.reads.Close()}
	if _, err := s.wdb.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		errs = append(errs, fmt.Errorf("checkpoint: %w", err))
	}
	errs = append(errs, s.rdb.Close(), s.wdb.Close())
	return errors.Join(errs...)
}

// httpTimeouts are the HTTP server's limits on slow or hung peers.
type httpTimeouts struct {
	ReadHeader time.Duration // the request line and headers
	Read       time.Duration // the whole request, body included
	Write      time.Duration // from the end of the headers to the end of the answer
	Idle       time.Duration // keep-alive
	Shutdown   time.Duration // how long requests in flight may finish after ctx is done
}

var defaultTimeouts = httpTimeouts{
	ReadHeader: 10 * time.Second,
	Read:       60 * time.Second,
	Write:      60 * time.Second,
	Idle:       2 * time.Minute,
	Shutdown:   30 * time.Second,
}

// ListenAndServe serves s on addr, with TLS when certFile and keyFile are
// given, until ctx is done; then it stops accepting, lets requests in flight
// finish (up to 30 s) and returns nil. It does not close s.
func ListenAndServe(ctx context.Context, s *Server, addr, certFile, keyFile string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	return Serve(ctx, s, ln, certFile, keyFile)
}

// Serve is ListenAndServe on a listener the caller opened. It logs the
// address it serves on ("listening", addr=…).
func Serve(ctx context.Context, s *Server, ln net.Listener, certFile, keyFile string) error {
	if (certFile == "") != (keyFile == "") {
		ln.Close()
		return errors.New("TLS needs both a certificate and a key file")
	}
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.timeouts.ReadHeader,
		ReadTimeout:       s.timeouts.Read,
		WriteTimeout:      s.timeouts.Write,
		IdleTimeout:       s.timeouts.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if certFile != "" {
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	errc := make(chan error, 1)
	go func() {
		scheme := "http"
		if certFile != "" {
			scheme = "https"
		}
		s.log.Info("listening", "addr", ln.Addr().String(), "url", scheme+"://"+ln.Addr().String())
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), s.timeouts.Shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
