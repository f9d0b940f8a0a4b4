package client

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sanshen/review"
)

func TestCacheSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cache.sqlite")
	st, err := openStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := st.rw.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion() || v < 1 {
		t.Fatalf("user_version %d (%v), want %d", v, err, SchemaVersion())
	}
	for _, pragma := range []struct{ name, want string }{{"journal_mode", "wal"}, {"synchronous", "2"}, {"foreign_keys", "1"}} {
		var got string
		if err := st.rw.QueryRow("PRAGMA " + pragma.name).Scan(&got); err != nil || got != pragma.want {
			t.Errorf("PRAGMA %s = %q (%v), want %q", pragma.name, got, err, pragma.want)
		}
	}
	st.close()
	// Opening again is a no-op.
	st, err = openStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// A cache from a newer Sanshen is refused and left alone.
	if _, err := st.rw.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	st.close()
	if _, err := openStore(ctx, path); !errors.Is(err, ErrCacheTooNew) {
		t.Fatalf("newer cache: %v", err)
	}
	db, _ := sql.Open("sqlite", path)
	defer db.Close()
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 99 {
		t.Fatalf("the newer cache was touched: version %d %v", v, err)
	}
	// A file that is not a database is an error, not a crash.
	junk := filepath.Join(t.TempDir(), "junk.sqlite")
	os.WriteFile(junk, []byte(strings.Repeat("这不是数据库", 1000)), 0o600)
	if _, err := openStore(ctx, junk); err == nil {
		t.Fatal("junk opened as a cache")
	}
}

// The outbox row is on disk before the request leaves: a decision made
// against a server that never answers is found by another connection.
func TestOutboxCommittedBeforeNetwork(t *testing.T) {
	ts := newTestServer(t)
	id := ts.submit(t, 1)[0]
	ctx := context.Background()
	s := ts.login(t, "rev", testOptions(t))
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	m := newMangler(t, ts.URL)
	seen := make(chan int, 1)
	m.set(func(w http.ResponseWriter, r *http.Request) bool {
		// While the decision is in flight, look at the cache file from outside.
		db, err := sql.Open("sqlite", "file:"+s.CachePath()+"?_query_only=1")
		if err != nil {
			seen <- -1
			return false
		}
		defer db.Close()
		var n int
		db.QueryRow("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").Scan(&n)
		seen <- n
		return false
	})
	s.api.base = m.URL
	e, err := s.Decide(ctx, id, review.Decision{Action: review.ActionApprove, Verdicts: passAll(), Disclosure: review.DisclosureOnRequest})
	if err != nil || e.State != OutboxSent {
		t.Fatalf("decide: %+v %v", e, err)
	}
	if n := <-seen; n != 1 {
		t.Fatalf("pending rows seen while the request was in flight: %d", n)
	}
}
