package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"sanshen/review"
)

// insertColumn is a write job's work: one row in columns.
func insertColumn(ctx context.Context, tx querier, name string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO columns(name, kind, department, person, update_rule, position) VALUES (?, 'news', 'd', 'p', 'weekly', 99)`, name)
	return err
}

func columnExists(t *testing.T, s *Server, name string) bool {
	t.Helper()
	var n int
	if err := s.rdb.QueryRow(`SELECT COUNT(*) FROM columns WHERE name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestWriteTxPanic: a panic in a write job reaches inWriteTx's caller and
// its changes are rolled back; the writer goes on. (The group-commit
// machinery itself is tested in internal/groupcommit.)
func TestWriteTxPanic(t *testing.T) {
	e := newTestEnv(t)
	s := e.srv
	func() {
		defer func() {
			if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), "bug in the job") {
				t.Errorf("recovered %v, want the job's panic", v)
			}
		}()
		s.inWriteTx(context.Background(), func(ctx context.Context, tx querier) error {
			if err := insertColumn(ctx, tx, "panicked"); err != nil {
				return err
			}
			panic("bug in the job")
		})
	}()
	if err := s.inWriteTx(context.Background(), func(ctx context.Context, tx querier) error { return insertColumn(ctx, tx, "kept") }); err != nil {
		t.Fatal(err)
	}
	if columnExists(t, s, "panicked") || !columnExists(t, s, "kept") {
		t.Errorf("rows: panicked %v, kept %v", columnExists(t, s, "panicked"), columnExists(t, s, "kept"))
	}
}

// TestWritesAfterClose are refused, not lost in a queue.
func TestWritesAfterClose(t *testing.T) {
	e := newTestEnv(t)
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	err := e.srv.inWriteTx(context.Background(), func(ctx context.Context, tx querier) error { return nil })
	if !errors.Is(err, errServerClosed) {
		t.Fatalf("write after close: %v", err)
	}
}

// TestDecisionsInOneGroup: decisions committed in one group keep their
// rules: of two reviewers racing on one item, one gets 201 and the other 409;
// ten retries of one decision give one 201 and nine identical replays.
func TestDecisionsInOneGroup(t *testing.T) {
	e := newTestEnv(t)
	s := e.srv
	raced, retried := e.submit("sub", nil), e.submit("sub", nil)
	e.token("rev")
	e.token("rev2")
	race := []map[string]any{e.decision(raced, review.ActionApprove), e.decision(raced, review.ActionReturn)}
	retry := e.decision(retried, review.ActionApprove)

	var mu sync.Mutex
	var sizes []int
	s.groupHook = func(n int) {
		mu.Lock()
		sizes = append(sizes, n)
		mu.Unlock()
	}
	defer func() { s.groupHook = nil }()
	started, release := make(chan struct{}), make(chan struct{})
	go s.inWriteTx(context.Background(), func(ctx context.Context, tx querier) error {
		close(started)
		<-release
		return nil
	})
	<-started
	var wg sync.WaitGroup
	raceResults := make([]response, 2)
	for i, user := range []string{"rev", "rev2"} {
		wg.Go(func() { raceResults[i] = e.do(user, "POST", "/api/v1/items/"+raced+"/decisions", race[i]) })
	}
	retryResults := make([]response, 10)
	for i := range retryResults {
		wg.Go(func() { retryResults[i] = e.do("rev", "POST", "/api/v1/items/"+retried+"/decisions", retry) })
	}
	time.Sleep(300 * time.Millisecond) // let every request reach the writer's door
	close(release)
	wg.Wait()

	codes := []int{raceResults[0].Status, raceResults[1].Status}
	if !(codes[0] == 201 && codes[1] == 409 || codes[0] == 409 && codes[1] == 201) {
		t.Errorf("race: statuses %v, want one 201 and one 409", codes)
	}
	created := 0
	for _, r := range retryResults {
		switch r.Status {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Fatalf("retry: %d %s", r.Status, r.Raw)
		}
		if string(r.Raw) != string(retryResults[0].Raw) {
			t.Errorf("retries answered differently:\n%s\n%s", r.Raw, retryResults[0].Raw)
		}
	}
	if created != 1 {
		t.Errorf("%d retries got 201, want 1", created)
	}
	for _, id := range []string{raced, retried} {
		var n int
		if err := s.rdb.QueryRow(`SELECT COUNT(*) FROM decisions WHERE item_id = ?`, id).Scan(&n); err != nil || n != 1 {
			t.Errorf("item %s: %d stored decisions (%v), want 1", id, n, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	biggest := 0
	for _, n := range sizes {
		biggest = max(biggest, n)
	}
	if biggest < 3 {
		t.Errorf("the decisions were not committed together: group sizes %v", sizes)
	}
	t.Logf("group sizes %v", sizes)
}
