package server

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite" // the database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded schema step; version N brings the schema to N.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order (read once; callers
// must not modify the slice). Their names start with the version number:
// 0001_init.sql.
var migrations = sync.OnceValues(readMigrations)

func readMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its version number", base)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the database schema version this binary writes.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// ErrSchemaTooNew is returned by Open for a database written by a newer sanshend.
var ErrSchemaTooNew = errors.New("database schema is newer than this sanshend")

// useFdatasync makes SQLite commit with fdatasync(2) instead of fsync(2),
// process-wide, as SQLite built by its own configure script does on Linux.
// fdatasync writes the data and the metadata needed to read it back (the
// file's size), so a commit is exactly as durable; it skips the timestamp
// update that makes ext4 wait for a journal commit on every fsync. Where the
// call is unavailable SQLite keeps fsync.
func useFdatasync() {
	sqlite.Fdatasync(true) //nolint:errcheck // unavailable: fsync stays, which is also durable
}

// openDatabases opens the SQLite file twice: a writer pool of one connection,
// used only by the group-commit writer (writer.go), whose transactions take
// the write lock at BEGIN (BEGIN IMMEDIATE) so that another process holding
// it makes them wait (busy timeout) rather than fail half-way, and a pool of
// readers that see WAL snapshots.
func openDatabases(ctx context.Context, file string) (writer, reader *sql.DB, err error) {
	if file == "" {
		return nil, nil, errors.New("no database file given")
	}
	useFdatasync()
	common := url.Values{}
	common.Add("_pragma", "busy_timeout(10000)")
	common.Add("_pragma", "foreign_keys(1)")
	common.Add("_pragma", "journal_mode(WAL)")
	// FULL: a commit is on disk (fsync of the WAL) before the API answers.
	common.Add("_pragma", "synchronous(FULL)")
	// Checkpoint every 8,000 pages (about 31 MiB of WAL) rather than 1,000: the
	// checkpoint runs inside a commit, on the writer, and fsyncs the
	// database file; rarer stalls, and a hot page is copied back once.
	common.Add("_pragma", "wal_autocheckpoint(8000)")
	wq := url.Values{}
	for k, v := range common {
		wq[k] = v
	}
	wq.Set("_txlock", "immediate")
	writer, err = sql.Open("sqlite", "file:"+file+"?"+wq.Encode())
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", file, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("open %s: %w", file, err)
	}
	reader, err = sql.Open("sqlite", "file:"+file+"?"+common.Encode())
	if err != nil {
		writer.Close()
		return nil, nil, fmt.Errorf("open %s: %w", file, err)
	}
	reader.SetMaxOpenConns(4)
	// Keep them all: a new connection reads the schema again and has none
	// of the prepared statements.
	reader.SetMaxIdleConns(4)
	return writer, reader, nil
}

// migrate brings the schema up to date, one migration per transaction, and
// refuses a database newer than the binary.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var current int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	latest := ms[len(ms)-1].version
	if current > latest {
		return fmt.Errorf("%w: the database has schema version %d, this sanshend knows versions up to %d; run a newer sanshend (the database was not changed)",
			ErrSchemaTooNew, current, latest)
	}
	for _, m := range ms[current:] {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// timeLayout is how times are stored: UTC, fixed width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// inReadTx runs fn in a read transaction: every query in it sees the same snapshot.
func (s *Server) inReadTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.rdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}
