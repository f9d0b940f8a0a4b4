package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
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
