package stmtcache

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

func testDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "test.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t(k TEXT PRIMARY KEY, v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestPreparedOnce: a query is prepared on first use and the same
// statement comes back after; a PRAGMA and a broken query are not prepared.
func TestPreparedOnce(t *testing.T) {
	c := New(testDB(t))
	defer c.Close()
	ctx := context.Background()
	q := `SELECT v FROM t WHERE k = ?`
	st := c.Get(ctx, q)
	if st == nil || c.Get(ctx, q) != st {
		t.Fatalf("Get prepared %p, then %p", st, c.Get(ctx, q))
	}
	for _, q := range []string{"PRAGMA user_version", "  pragma synchronous = NORMAL", "SELECT nope FROM nowhere"} {
		if c.Get(ctx, q) != nil {
			t.Errorf("%q was prepared", q)
		}
	}
}

// TestDeferred: a deferred cache prepares nothing until PrepareMissed.
func TestDeferred(t *testing.T) {
	c := NewDeferred(testDB(t))
	defer c.Close()
	ctx := context.Background()
	q := `INSERT INTO t(k, v) VALUES (?, ?)`
	if c.Get(ctx, q) != nil {
		t.Fatal("a deferred cache prepared on Get")
	}
	c.PrepareMissed(ctx)
	if c.Get(ctx, q) == nil {
		t.Fatal("PrepareMissed did not prepare the missed query")
	}
}

// TestBounded: beyond MaxStatements queries run unprepared.
func TestBounded(t *testing.T) {
	c := New(testDB(t))
	defer c.Close()
	ctx := context.Background()
	for i := range MaxStatements {
		if c.Get(ctx, fmt.Sprintf("SELECT %d", i)) == nil {
			t.Fatalf("query %d not prepared", i)
		}
	}
	if c.Get(ctx, "SELECT -1") != nil {
		t.Fatal("a query beyond the bound was prepared")
	}
}

// TestPool: a Pool runs statements and queries, prepared or not, and still
// works after Close (which closes its statements only).
func TestPool(t *testing.T) {
	p := NewPool(testDB(t))
	ctx := context.Background()
	for round := range 2 {
		for i := range 3 {
			if _, err := p.ExecContext(ctx, `INSERT OR REPLACE INTO t(k, v) VALUES (?, ?)`, fmt.Sprint(i), i*10); err != nil {
				t.Fatal(err)
			}
		}
		var v int
		if err := p.QueryRowContext(ctx, `SELECT v FROM t WHERE k = ?`, "2").Scan(&v); err != nil || v != 20 {
			t.Fatalf("round %d: v = %d (%v)", round, v, err)
		}
		rows, err := p.QueryContext(ctx, `SELECT k FROM t ORDER BY k`)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Close(); err != nil || n != 3 {
			t.Fatalf("round %d: %d rows (%v)", round, n, err)
		}
		var mode string
		if err := p.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
