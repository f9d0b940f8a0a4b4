package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"sanshen/review"
)

// Options configure a Session. The zero value is usable.
type Options struct {
	// Dir is the config directory holding the session file and the caches;
	// empty means DefaultDir(). It is made owner-only (0700).
	Dir  string
	HTTP HTTPConfig
	// SyncInterval is the period of the background sync started by Start;
	// default 2 minutes.
	SyncInterval time.Duration
	// Workers is how many items or bodies a sync fetches at once; default 4.
	Workers int
	// QueueOnly makes Sync pull the queue and send the outbox without
	// fetching item details and bodies (they are then fetched on demand).
	QueueOnly bool
	Logger    *slog.Logger
	Now       func() time.Time
}

func (o Options) withDefaults() (Options, error) {
	if o.Dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return o, err
		}
		o.Dir = d
	}
	if o.SyncInterval <= 0 {
		o.SyncInterval = 2 * time.Minute
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.HTTP.Logger == nil {
		o.HTTP.Logger = o.Logger
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}

// DefaultDir returns os.UserConfigDir()/sanshen.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user's config directory: %w", err)
	}
	return filepath.Join(d, "sanshen"), nil
}

// sessionFileName is the file, in the config directory, that remembers the
// current sign-in so that every command-mode invocation shares it.
const sessionFileName = "session.json"

// savedSession is the content of the session file. It holds the bearer
// token, so it is written owner-only (0600).
type savedSession struct {
	Server   string      `json:"server"`
	Username string      `json:"username"`
	Token    string      `json:"token"`
	User     review.User `json:"user"`
	CAFile   string      `json:"ca_file,omitempty"`
	SignedIn time.Time   `json:"signed_in"`
}

func readSavedSession(dir string) (savedSession, error) {
	b, err := os.ReadFile(filepath.Join(dir, sessionFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return savedSession{}, ErrNoSession
	}
	if err != nil {
		return savedSession{}, fmt.Errorf("read session file: %w", err)
	}
	var s savedSession
	if err := json.Unmarshal(b, &s); err != nil || s.Server == "" || s.Username == "" {
		return savedSession{}, fmt.Errorf("session file %s is damaged (sign in again): %w", filepath.Join(dir, sessionFileName), ErrNoSession)
	}
	return s, nil
}

// writeFileAtomic writes b to path with mode 0600 through a temporary file
// and a rename, so a crash leaves the old file or the new one.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func writeSavedSession(dir string, s savedSession) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, sessionFileName), b); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// Session is a signed-in reviewer on one server with the local cache. All
// methods are safe for concurrent use; reads come from the cache and never
// wait for the network.
type Session struct {
	opts  Options
	api   *API
	store *store
	saved savedSession

	sendMu sync.Mutex // one SendOutbox at a time
	syncMu sync.Mutex // one sync at a time

	inflightMu sync.Mutex
	inflight   map[string]bool // outbox entries being sent
	closing    bool            // Close began: no new sends
	sending    sync.WaitGroup  // sends in flight

	stateMu   sync.Mutex
	state     SyncState
	tallySeen uint64 // seq of the outbox counts in state (applyTally)
	subs      map[int]func(SyncState)
	nextSub   int
	notify    chan struct{} // wakes the dispatcher
	syncReq   chan struct{} // wakes the background loop
	stop      chan struct{}
	done      sync.WaitGroup
	started   bool
	closed    bool
	closeErr  error
}

// Login signs in to server with a password, remembers the sign-in in the
// config directory (replacing any other) and opens the cache of this server
// and user. The password is not stored.
func Login(ctx context.Context, opts Options, server, username, password string) (*Session, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	api, err := NewAPI(server, opts.HTTP)
	if err != nil {
		return nil, err
	}
	reply, err := api.Login(ctx, username, password)
	if err != nil {
		if errors.Is(err, ErrUnauthorized) {
			return nil, fmt.Errorf("sign in as %s: 用户名或密码错误 (wrong username or password): %w", username, err)
		}
		return nil, fmt.Errorf("sign in as %s: %w", username, err)
	}
	if err := ensurePrivateDir(opts.Dir); err != nil {
		return nil, err
	}
	saved := savedSession{Server: api.BaseURL(), Username: reply.User.Username, Token: reply.Token, User: reply.User,
		CAFile: opts.HTTP.CAFile, SignedIn: opts.Now().UTC()}
	if err := writeSavedSession(opts.Dir, saved); err != nil {
		return nil, err
	}
	api.SetToken(reply.Token)
	return openSession(ctx, opts, api, saved)
}

// Open resumes the sign-in saved in the config directory, without asking the
// server: the cache can be read and decided on offline. It returns
// ErrNoSession when nobody is signed in.
func Open(ctx context.Context, opts Options) (*Session, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	saved, err := readSavedSession(opts.Dir)
	if err != nil {
		return nil, err
	}
	if opts.HTTP.CAFile == "" {
		opts.HTTP.CAFile = saved.CAFile
	}
	api, err := NewAPI(saved.Server, opts.HTTP)
	if err != nil {
		return nil, err
	}
	api.SetToken(saved.Token)
	return openSession(ctx, opts, api, saved)
}

func openSession(ctx context.Context, opts Options, api *API, saved savedSession) (*Session, error) {
	path := filepath.Join(opts.Dir, CacheFileName(saved.Server, saved.Username))
	st, err := openStore(ctx, path)
	if err != nil {
		return nil, err
	}
	userJSON, _ := json.Marshal(saved.User)
	err = st.tx(ctx, func(ctx context.Context, tx *writeTx) error {
		for k, v := range map[string]string{metaServer: saved.Server, metaUsername: saved.Username, metaUser: string(userJSON)} {
			if err := setMeta(ctx, tx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		st.close()
		return nil, fmt.Errorf("open cache: %w", err)
	}
	s := &Session{opts: opts, api: api, store: st, saved: saved, subs: map[int]func(SyncState){}, inflight: map[string]bool{},
		notify: make(chan struct{}, 1), syncReq: make(chan struct{}, 1), stop: make(chan struct{})}
	last, _ := st.getMeta(ctx, metaLastSync)
	s.state.LastSync = parseTime(last)
	s.state.Pending, s.state.Refused, _ = st.outboxCounts(ctx)
	s.done.Add(1)
	go s.dispatch()
	return s, nil
}

// Close stops the background sync and closes the cache. Nothing is lost:
// pending decisions are sent when a session is opened again.
func (s *Session) Close() error {
	s.stateMu.Lock()
	if s.closed {
		s.stateMu.Unlock()
		return s.closeErr
	}
	s.closed = true
	close(s.stop)
	s.stateMu.Unlock()
	s.done.Wait()
	// Wait for a sync or send in flight to let go of the cache.
	s.inflightMu.Lock()
	s.closing = true
	s.inflightMu.Unlock()
	s.sending.Wait()
	s.syncMu.Lock()
	s.sendMu.Lock()
	s.closeErr = s.store.close()
	s.sendMu.Unlock()
	s.syncMu.Unlock()
	return s.closeErr
}

// Server returns the server's address.
func (s *Session) Server() string { return s.saved.Server }

// User returns the signed-in user as the server described them at sign-in.
func (s *Session) User() review.User { return s.saved.User }

// CachePath returns the path of this session's cache file.
func (s *Session) CachePath() string { return s.store.path }

// API returns the session's API client (for what the session does not wrap).
func (s *Session) API() *API { return s.api }

// LogoutOptions say what signing out keeps.
type LogoutOptions struct {
	// KeepCache keeps the cache file (queue, items, outbox) on disk.
	KeepCache bool
	// Force deletes the cache even when decisions are still waiting to be
	// sent; without it Logout refuses with ErrPendingDecisions.
	Force bool
}

// Logout tries once more to send the outbox, then forgets the sign-in and,
// unless asked to keep it, deletes the cache. It refuses (ErrPendingDecisions)
// to delete decisions that were never sent unless Force is set. The session
// is closed afterwards, whatever the result, except on ErrPendingDecisions.
func (s *Session) Logout(ctx context.Context, o LogoutOptions) error {
	if _, err := s.SendOutbox(ctx); err != nil {
		s.opts.Logger.Debug("sanshen: outbox not sent before sign-out", "err", err)
	}
	if !o.KeepCache && !o.Force {
		pending, _, err := s.store.outboxCounts(ctx)
		if err != nil {
			return err
		}
		if pending > 0 {
			return fmt.Errorf("%d pending: %w (sync when online, or sign out keeping the cache)", pending, ErrPendingDecisions)
		}
	}
	// Ending the token on the server is a courtesy; offline it expires on its own.
	if err := s.api.Logout(ctx); err != nil {
		s.opts.Logger.Debug("sanshen: server logout", "err", err)
	}
	path := s.store.path
	closeErr := s.Close()
	var errs []error
	if closeErr != nil {
		errs = append(errs, closeErr)
	}
	if saved, err := readSavedSession(s.opts.Dir); err == nil && saved.Server == s.saved.Server && saved.Username == s.saved.Username {
		if err := os.Remove(filepath.Join(s.opts.Dir, sessionFileName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if !o.KeepCache {
		if err := removeCacheFiles(path); err != nil {
			errs = append(errs, fmt.Errorf("delete cache: %w", err))
		}
	}
	return errors.Join(errs...)
}
