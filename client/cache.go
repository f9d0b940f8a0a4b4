package client

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite" // the SQLite driver, pure Go

	"sanshen/internal/groupcommit"
	"sanshen/internal/stmtcache"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered SQL script of migrations/.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. Files are named
// NNNN_what.sql, numbered from 1 without gaps.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %q is not named NNNN_what.sql", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: n, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the cache schema this binary writes.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		panic(err) // the embedded files are part of the binary; tests catch this
	}
	return len(ms)
}

// store is the local SQLite cache of one reviewer on one server. Writes go
// through one connection (rw) in IMMEDIATE transactions with
// synchronous=FULL; reads use a separate pool (ro) so a long sync does not
// block the screen.
type store struct {
	path  string
	rw    *sql.DB
	ro    *sql.DB
	reads stmtcache.Pool // ro through its prepared statements

	// The writer goroutine and its state (writer.go).
	writer   *groupcommit.Writer
	syncMode int         // the writer's; see setSync
	tallySeq uint64      // the writer's; see outboxTally
	group    *writeGroup // the writer's: the group being run
}

// CacheFileName returns the file name of the cache of user on server: the
// host and user made readable, and a hash of both, so that two servers or
// two users never share a file.
func CacheFileName(server, username string) string {
	sum := sha256.Sum256([]byte(server + "\x00" + username))
	host := server
	if u, err := url.Parse(server); err == nil && u.Host != "" {
		host = u.Host
	}
	return "cache-" + fileSafe(host) + "-" + fileSafe(username) + "-" + hex.EncodeToString(sum[:6]) + ".sqlite"
}

func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}

// ensurePrivateDir creates dir (and parents) and makes it owner-only.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create config directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make config directory private: %w", err)
	}
	return nil
}

// openStore opens (creating when needed) the cache file at path: owner-only
// permissions, WAL, synchronous=FULL, foreign keys, embedded migrations.
func openStore(ctx context.Context, path string) (*store, error) {
	if err := ensurePrivateDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	// Create the file ourselves so it is 0600 from the first byte; SQLite
	// gives its -wal and -shm files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open cache file: %w", err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("make cache file private: %w", err)
	}
	// Commit with fdatasync(2) rather than fsync(2), as SQLite's own Linux
	// builds do: the data and the size needed to read it back reach the disk
	// just the same; the file's timestamps are left to the next journal
	// commit. Process-wide; where it is unavailable SQLite keeps fsync.
	sqlite.Fdatasync(true) //nolint:errcheck // unavailable: fsync stays, also durable
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_fk", "1")
	q.Set("_txlock", "immediate")
	// A checkpoint runs inside the commit that crosses the limit, on the
	// writer, and fsyncs the database file: 8,000 pages (about 31 MiB of
	// WAL at 4 KiB pages) rather than SQLite's 1,000 make those stalls
	// rarer, and a page written by many groups is copied back once. Four
	// alternating A/B pairs of BenchmarkDecideParallel64 and 256 were all
	// faster, by 2-8%: no loss, the gain within this machine's noise.
	q.Add("_pragma", "wal_autocheckpoint(8000)")
	rw, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	rw.SetMaxOpenConns(1)
	rw.SetConnMaxIdleTime(0)
	s := &store{path: path, rw: rw}
	if err := s.migrate(ctx); err != nil {
		rw.Close()
		return nil, err
	}
	qr := url.Values{}
	qr.Set("_busy_timeout", "10000")
	qr.Set("_fk", "1")
	qr.Set("_query_only", "1")
	ro, err := sql.Open("sqlite", "file:"+path+"?"+qr.Encode())
	if err != nil {
		rw.Close()
		return nil, fmt.Errorf("open cache for reading: %w", err)
	}
	ro.SetMaxOpenConns(4)
	// Keep them all: a new connection reads the schema again and has none
	// of the prepared statements.
	ro.SetMaxIdleConns(4)
	s.ro = ro
	s.reads = stmtcache.NewPool(ro)
	s.startWriter()
	return s, nil
}

// migrate brings the schema up to this binary's version, refusing a cache
// made by a newer binary.
func (s *store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var have int
	if err := s.rw.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("read cache schema version of %s: %w (is it a Sanshen cache?)", s.path, err)
	}
	if have > len(ms) {
		return fmt.Errorf("%s: schema %d, this Sanshen knows %d: %w", s.path, have, len(ms), ErrCacheTooNew)
	}
	for _, m := range ms[have:] {
		// Before the writer starts: a plain transaction of its own.
		tx, err := s.rw.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("upgrade cache %s: %w", s.path, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("upgrade cache %s: migration %s: %w", s.path, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("upgrade cache %s: %w", s.path, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("upgrade cache %s: %w", s.path, err)
		}
	}
	return nil
}

func (s *store) close() error {
	errs := []error{s.stopWriter()}
	if s.ro != nil {
		errs = append(errs, s.reads.Close(), s.ro.Close())
	}
	errs = append(errs, s.rw.Close())
	return errors.Join(errs...)
}

// removeCacheFiles deletes a cache file with its WAL and shared-memory files.
func removeCacheFiles(path string) error {
	var errs []error
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// meta keys.
const (
	metaServer   = "server"
	metaUsername = "username"
	metaUser     = "user" // JSON review.User
	metaCursor   = "cursor"
	metaLastSync = "last_sync"
)

func (s *store) getMeta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.reads.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMeta(ctx context.Context, tx *writeTx, key, value string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	return err
}

// timeText formats t for storage; the zero time is "".
func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// parseTime reads a stored time; "" is the zero time.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
