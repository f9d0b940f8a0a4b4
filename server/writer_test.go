package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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

// TestGroupCommitIsolatesJobs: jobs that wait while another commits are
// committed together, and a job that fails or panics loses only its own
// changes.
func TestGroupCommitIsolatesJobs(t *testing.T) {
	e := newTestEnv(t)
	s := e.srv
	var mu sync.Mutex
	var sizes []int
	s.groupHook = func(n int) {
		mu.Lock()
		sizes = append(sizes, n)
		mu.Unlock()
	}
	defer func() { s.groupHook = nil }()

	// Hold the writer so that the jobs below queue up behind it.
	started, release := make(chan struct{}), make(chan struct{})
	blocker := make(chan error, 1)
	go func() {
		blocker <- s.inWriteTx(context.Background(), func(ctx context.Context, tx querier) error {
			close(started)
			<-release
			return insertColumn(ctx, tx, "blocker")
		})
	}()
	<-started
	const n = 10
	errs := make([]error, n)
	panics := make([]any, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = s.inWriteTx(context.Background(), func(ctx context.Context, tx querier) error {
				if err := insertColumn(ctx, tx, fmt.Sprintf("g%d", i)); err != nil {
					return err
				}
				switch {
				case i == 5:
					panic("bug in job 5")
				case i%2 == 1:
					return errors.New("refused")
				}
				return nil
			})
		})
	}
	time.Sleep(200 * time.Millisecond) // let every job reach the writer's door
	close(release)
	wg.Wait()
	if err := <-blocker; err != nil {
		t.Fatalf("blocker: %v", err)
	}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("g%d", i)
		switch {
		case i == 5:
			if panics[i] == nil {
				t.Errorf("job 5 panicked in the writer but not in its caller")
			}
			if columnExists(t, s, name) {
				t.Errorf("the panicking job's row was kept")
			}
		case i%2 == 1:
			if errs[i] == nil || errs[i].Error() != "refused" {
				t.Errorf("job %d: %v, want its own error", i, errs[i])
			}
			if columnExists(t, s, name) {
				t.Errorf("failed job %d's row was kept", i)
			}
		default:
			if errs[i] != nil || panics[i] != nil {
				t.Errorf("job %d: %v %v", i, errs[i], panics[i])
			}
			if !columnExists(t, s, name) {
				t.Errorf("job %d's row is missing", i)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	biggest := 0
	for _, n := range sizes {
		biggest = max(biggest, n)
	}
	if biggest < 2 {
		t.Errorf("the waiting jobs were not committed together: group sizes %v", sizes)
	}
}

// TestWriteJobCancelledBeforeItsTurn: a caller that gives up while waiting
// gets its context's error and its work never runs.
func TestWriteJobCancelledBeforeItsTurn(t *testing.T) {
	e := newTestEnv(t)
	s := e.srv
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.inWriteTx(context.Background(), func(ctx context.Context, tx querier) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		ran = true
		return insertColumn(ctx, tx, "late")
	})
	close(release)
	if !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("cancelled job: %v, ran %v", err, ran)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if columnExists(t, s, "late") {
		t.Fatal("the cancelled job's row exists")
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
