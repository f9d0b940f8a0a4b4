package client

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func testStore(t *testing.T) *store {
	t.Helper()
	st, err := openStore(context.Background(), filepath.Join(t.TempDir(), "cache.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.close() })
	return st
}

// write is tx when durable, relaxedTx otherwise.
func (s *store) write(ctx context.Context, durable bool, fn func(ctx context.Context, tx *writeTx) error) error {
	if durable {
		return s.tx(ctx, fn)
	}
	return s.relaxedTx(ctx, fn)
}

func syncSetting(ctx context.Context, tx *writeTx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&n)
	return n, err
}

// TestDurableWritesAreFsynced: a durable write after a relaxed one runs with
// synchronous=FULL (2), a relaxed one with NORMAL (1), whatever came before.
func TestDurableWritesAreFsynced(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	for i, durable := range []bool{false, true, true, false, false, true} {
		var got int
		err := st.write(ctx, durable, func(ctx context.Context, tx *writeTx) error {
			var err error
			got, err = syncSetting(ctx, tx)
			return err
		})
		want := 1
		if durable {
			want = 2
		}
		if err != nil || got != want {
			t.Fatalf("write %d (durable %v): synchronous = %d (%v), want %d", i, durable, got, err, want)
		}
	}
}

// TestCacheGroupCommit: writes that wait while another commits go in one
// group; a group with a durable write is committed with synchronous=FULL
// even for its relaxed writes; a write that fails loses only its own changes.
func TestCacheGroupCommit(t *testing.T) {
	st := testStore(t)
	started, release := make(chan struct{}), make(chan struct{})
	blocker := make(chan error, 1)
	go func() {
		blocker <- st.relaxedTx(context.Background(), func(ctx context.Context, tx *writeTx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	const n = 8
	errs := make([]error, n)
	settings := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Go(func() {
			errs[i] = st.write(context.Background(), i == 2, func(ctx context.Context, tx *writeTx) error {
				var err error
				if settings[i], err = syncSetting(ctx, tx); err != nil {
					return err
				}
				if err := setMeta(ctx, tx, fmt.Sprintf("k%d", i), "v"); err != nil {
					return err
				}
				if i%2 == 1 {
					return errors.New("refused")
				}
				return nil
			})
		})
	}
	time.Sleep(200 * time.Millisecond) // let every write reach the writer's door
	close(release)
	wg.Wait()
	if err := <-blocker; err != nil {
		t.Fatal(err)
	}
	grouped := 0
	for i := 0; i < n; i++ {
		v, err := st.getMeta(context.Background(), fmt.Sprintf("k%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			if errs[i] == nil || errs[i].Error() != "refused" || v != "" {
				t.Errorf("failed write %d: %v, its row %q", i, errs[i], v)
			}
		} else if errs[i] != nil || v != "v" {
			t.Errorf("write %d: %v, its row %q", i, errs[i], v)
		}
		if settings[i] == 2 {
			grouped++
		}
	}
	// The durable write 2 makes its whole group FULL: if the waiting writes
	// formed one group, they all saw FULL.
	if settings[2] != 2 {
		t.Errorf("the durable write ran with synchronous=%d", settings[2])
	}
	if grouped < 2 {
		t.Errorf("no relaxed write shared the durable write's group: settings %v", settings)
	}
}

// TestCacheWritesAfterClose are refused.
func TestCacheWritesAfterClose(t *testing.T) {
	st, err := openStore(context.Background(), filepath.Join(t.TempDir(), "cache.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.close(); err != nil {
		t.Fatal(err)
	}
	err = st.tx(context.Background(), func(ctx context.Context, tx *writeTx) error { return nil })
	if !errors.Is(err, errStoreClosed) {
		t.Fatalf("write after close: %v", err)
	}
}

// TestOutboxTallyOrder: counts left by an earlier write never replace those
// of a later one, whatever order they are published in.
func TestOutboxTallyOrder(t *testing.T) {
	s := &Session{notify: make(chan struct{}, 1)}
	s.applyTally(outboxTally{pending: 2, refused: 1, seq: 2})
	s.applyTally(outboxTally{pending: 1, seq: 1})
	if st := s.State(); st.Pending != 2 || st.Refused != 1 {
		t.Fatalf("state %+v after an older tally", st)
	}
	s.applyTally(outboxTally{pending: 0, seq: 3})
	if st := s.State(); st.Pending != 0 || st.Refused != 0 {
		t.Fatalf("state %+v after a newer tally", st)
	}
}
