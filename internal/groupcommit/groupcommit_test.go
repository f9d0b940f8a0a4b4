package groupcommit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// testDB opens a real SQLite file in t.TempDir(): the writer's pool of one
// connection, a reader pool, and a table rows(name).
func testDB(t *testing.T) (wdb, rdb *sql.DB) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "test.sqlite")
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	rq := url.Values{}
	for k, v := range q {
		rq[k] = v
	}
	q.Set("_txlock", "immediate")
	wdb, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	wdb.SetMaxOpenConns(1)
	t.Cleanup(func() { wdb.Close() })
	if _, err := wdb.Exec(`CREATE TABLE rows(name TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	rdb, err = sql.Open("sqlite", "file:"+file+"?"+rq.Encode())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	return wdb, rdb
}

// groupLog records what BeforeGroup was told.
type groupLog struct {
	mu      sync.Mutex
	sizes   []int
	durable []bool
}

func (g *groupLog) before(_ context.Context, size int, durable bool) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sizes = append(g.sizes, size)
	g.durable = append(g.durable, durable)
	return nil
}

func (g *groupLog) biggest() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, s := range g.sizes {
		n = max(n, s)
	}
	return n
}

func testWriter(t *testing.T, cfg Config) (*Writer, *sql.DB) {
	t.Helper()
	wdb, rdb := testDB(t)
	w := Start(wdb, cfg)
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return w, rdb
}

func insert(ctx context.Context, tx *Tx, name string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO rows(name) VALUES (?)`, name)
	return err
}

func exists(t *testing.T, rdb *sql.DB, name string) bool {
	t.Helper()
	var n int
	if err := rdb.QueryRow(`SELECT COUNT(*) FROM rows WHERE name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// hold occupies the writer with a job until release is closed; the job's
// result arrives on the returned channel.
func hold(t *testing.T, w *Writer) (release chan struct{}, result chan error) {
	t.Helper()
	return holdAs(t, w, "blocker")
}

// holdAs is hold with the blocker's row named name.
func holdAs(t *testing.T, w *Writer, name string) (release chan struct{}, result chan error) {
	t.Helper()
	started, release, result := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		result <- w.DoRelaxed(context.Background(), func(ctx context.Context, tx *Tx) error {
			close(started)
			<-release
			return insert(ctx, tx, name)
		})
	}()
	<-started
	return release, result
}

// groupBehind runs job(0) … job(n-1) at once while hold's job occupies the
// writer, lets it go once they wait (so that they make one group), and
// returns their results.
func groupBehind(t *testing.T, release chan struct{}, blocker chan error, n int, job func(i int) error) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = job(i) })
	}
	time.Sleep(200 * time.Millisecond) // let every job reach the writer's door
	close(release)
	wg.Wait()
	if err := <-blocker; err != nil {
		t.Fatal(err)
	}
	return errs
}

// TestGroupIsolatesJobs: jobs that wait while another commits are committed
// together, and a job that fails or panics loses only its own changes; the
// panic is raised again in its caller.
func TestGroupIsolatesJobs(t *testing.T) {
	var log groupLog
	w, rdb := testWriter(t, Config{MaxBatch: 64, BeforeGroup: log.before})
	release, blocker := hold(t, w)
	const n = 10
	panics := make([]any, n)
	errs := groupBehind(t, release, blocker, n, func(i int) error {
		defer func() { panics[i] = recover() }()
		return w.Do(context.Background(), func(ctx context.Context, tx *Tx) error {
			if err := insert(ctx, tx, fmt.Sprintf("g%d", i)); err != nil {
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
	for i := range n {
		name := fmt.Sprintf("g%d", i)
		switch {
		case i == 5:
			msg, _ := panics[i].(string)
			if !strings.Contains(msg, "bug in job 5") || !strings.Contains(msg, "in the write transaction:") {
				t.Errorf("job 5 panicked in the writer; its caller got %v", panics[i])
			}
			if exists(t, rdb, name) {
				t.Errorf("the panicking job's row was kept")
			}
		case i%2 == 1:
			if errs[i] == nil || errs[i].Error() != "refused" {
				t.Errorf("job %d: %v, want its own error", i, errs[i])
			}
			if exists(t, rdb, name) {
				t.Errorf("failed job %d's row was kept", i)
			}
		default:
			if errs[i] != nil || panics[i] != nil {
				t.Errorf("job %d: %v %v", i, errs[i], panics[i])
			}
			if !exists(t, rdb, name) {
				t.Errorf("job %d's row is missing", i)
			}
		}
	}
	if !exists(t, rdb, "blocker") {
		t.Error("the blocker's row is missing")
	}
	if log.biggest() < 2 {
		t.Errorf("the waiting jobs were not committed together: group sizes %v", log.sizes)
	}
}

// TestMaxBatch: no group is bigger than MaxBatch.
func TestMaxBatch(t *testing.T) {
	var log groupLog
	w, rdb := testWriter(t, Config{MaxBatch: 3, BeforeGroup: log.before})
	release, blocker := hold(t, w)
	errs := groupBehind(t, release, blocker, 10, func(i int) error {
		return w.Do(context.Background(), func(ctx context.Context, tx *Tx) error {
			return insert(ctx, tx, fmt.Sprintf("m%d", i))
		})
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("job %d: %v", i, err)
		}
	}
	if b := log.biggest(); b != 3 {
		t.Errorf("group sizes %v, want at most 3 and some of 3", log.sizes)
	}
	for i := range 10 {
		if !exists(t, rdb, fmt.Sprintf("m%d", i)) {
			t.Errorf("job %d's row is missing", i)
		}
	}
}

// TestLoneJob: a job alone in its group runs without a savepoint; its
// failure or panic rolls back the transaction, and the next job runs in a
// fresh one.
func TestLoneJob(t *testing.T) {
	w, rdb := testWriter(t, Config{MaxBatch: 8})
	ctx := context.Background()
	err := w.Do(ctx, func(ctx context.Context, tx *Tx) error {
		if err := insert(ctx, tx, "failed"); err != nil {
			return err
		}
		return errors.New("refused")
	})
	if err == nil || err.Error() != "refused" {
		t.Fatalf("lone failing job: %v", err)
	}
	func() {
		defer func() {
			if v := recover(); v == nil || !strings.Contains(fmt.Sprint(v), "lone bug") {
				t.Errorf("lone panicking job: recovered %v", v)
			}
		}()
		w.Do(ctx, func(ctx context.Context, tx *Tx) error {
			if err := insert(ctx, tx, "panicked"); err != nil {
				return err
			}
			panic("lone bug")
		})
	}()
	if err := w.Do(ctx, func(ctx context.Context, tx *Tx) error { return insert(ctx, tx, "kept") }); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"failed": false, "panicked": false, "kept": true} {
		if got := exists(t, rdb, name); got != want {
			t.Errorf("row %q exists: %v, want %v", name, got, want)
		}
	}
}

// TestTxReadsItsWrites: a job's Tx queries see the group's changes, through
// ExecContext, QueryContext, QueryRowContext and PrepareContext alike, and
// the statements prepared after the first group are used by later ones.
func TestTxReadsItsWrites(t *testing.T) {
	w, _ := testWriter(t, Config{MaxBatch: 8})
	for round := range 3 {
		err := w.Do(context.Background(), func(ctx context.Context, tx *Tx) error {
			if err := insert(ctx, tx, fmt.Sprintf("r%d", round)); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rows`).Scan(&n); err != nil {
				return err
			}
			rows, err := tx.QueryContext(ctx, `SELECT name FROM rows ORDER BY name`)
			if err != nil {
				return err
			}
			var names []string
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					return err
				}
				names = append(names, s)
			}
			if err := rows.Close(); err != nil {
				return err
			}
			st, err := tx.PrepareContext(ctx, `SELECT COUNT(*) FROM rows WHERE name = ?`)
			if err != nil {
				return err
			}
			defer st.Close()
			var mine int
			if err := st.QueryRowContext(ctx, fmt.Sprintf("r%d", round)).Scan(&mine); err != nil {
				return err
			}
			if n != round+1 || len(names) != n || mine != 1 {
				return fmt.Errorf("round %d: count %d, names %v, own row %d", round, n, names, mine)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestBeforeGroup: the hook hears whether a group holds a durable job, and
// its error fails every job of the group without running any.
func TestBeforeGroup(t *testing.T) {
	refuse := errors.New("hook refused")
	var mu sync.Mutex
	var durables []bool
	w, rdb := testWriter(t, Config{MaxBatch: 8, BeforeGroup: func(_ context.Context, size int, durable bool) error {
		mu.Lock()
		defer mu.Unlock()
		durables = append(durables, durable)
		if size == 3 {
			return refuse
		}
		return nil
	}})
	ctx := context.Background()
	nop := func(context.Context, *Tx) error { return nil }
	if err := w.DoRelaxed(ctx, nop); err != nil {
		t.Fatal(err)
	}
	if err := w.Do(ctx, nop); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(durables) != 2 || durables[0] || !durables[1] {
		t.Errorf("durable flags %v, want [false true]", durables)
	}
	mu.Unlock()

	// A group of three: two relaxed jobs and a durable one.
	release, blocker := hold(t, w)
	mu.Lock()
	durables = nil // forget the blocker's group
	mu.Unlock()
	errs := groupBehind(t, release, blocker, 3, func(i int) error {
		do := w.DoRelaxed
		if i == 1 {
			do = w.Do
		}
		return do(ctx, func(ctx context.Context, tx *Tx) error { return insert(ctx, tx, fmt.Sprintf("h%d", i)) })
	})
	for i, err := range errs {
		if !errors.Is(err, refuse) {
			t.Errorf("job %d: %v, want the hook's error", i, err)
		}
		if exists(t, rdb, fmt.Sprintf("h%d", i)) {
			t.Errorf("job %d's row was kept", i)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(durables) != 1 || !durables[0] {
		t.Errorf("the group of three: durable flags %v, want [true]", durables)
	}
}

// TestBeforeCommit: the hook runs once per group, in its transaction and
// after its jobs (it sees their rows, and what it writes is committed with
// them); not for a group whose every job failed; and its error fails every
// job of the group.
func TestBeforeCommit(t *testing.T) {
	var mu sync.Mutex
	var seen []int // rows the hook counted, per call
	fail := false
	refuse := errors.New("hook refused")
	w, rdb := testWriter(t, Config{MaxBatch: 8, BeforeCommit: func(ctx context.Context, tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM rows").Scan(&n); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, n)
		if fail {
			return refuse
		}
		return insert(ctx, tx, fmt.Sprintf("hook%d", len(seen)))
	}})
	ctx := context.Background()

	// A group of three after a blocker: one hook call that sees all three.
	release, blocker := hold(t, w)
	errs := groupBehind(t, release, blocker, 3, func(i int) error {
		return w.Do(ctx, func(ctx context.Context, tx *Tx) error { return insert(ctx, tx, fmt.Sprintf("c%d", i)) })
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("job %d: %v", i, err)
		}
	}
	mu.Lock()
	calls := len(seen)
	last := seen[calls-1]
	mu.Unlock()
	if calls != 2 { // the blocker's group and the group of three
		t.Errorf("hook ran %d times, want 2", calls)
	}
	if want := 1 + 1 + 3; last != want { // the blocker's row, the first hook's row, three rows
		t.Errorf("the hook saw %d rows, want %d", last, want)
	}
	if !exists(t, rdb, "hook2") {
		t.Error("the hook's own row was not committed")
	}

	// A group of three jobs that all fail, after a blocker: the blocker's
	// group calls the hook, the failed group does not.
	release, blocker = holdAs(t, w, "blocker2")
	errs = groupBehind(t, release, blocker, 3, func(int) error {
		return w.Do(ctx, func(context.Context, *Tx) error { return errors.New("job failed") })
	})
	for i, err := range errs {
		if err == nil {
			t.Fatalf("failing job %d succeeded", i)
		}
	}
	mu.Lock()
	if len(seen) != calls+1 {
		t.Errorf("the hook ran %d times for the blocker and a group without kept work, want 1", len(seen)-calls)
	}
	calls = len(seen)
	fail = true
	mu.Unlock()

	// The hook's error fails the job and nothing of the group is kept.
	if err := w.Do(ctx, func(ctx context.Context, tx *Tx) error { return insert(ctx, tx, "refused") }); !errors.Is(err, refuse) {
		t.Errorf("job: %v, want the hook's error", err)
	}
	if exists(t, rdb, "refused") {
		t.Error("the job's row was kept after the hook failed")
	}
}

// TestCancelledBeforeItsTurn: a caller that gives up while waiting gets its
// context's error and its work never runs.
func TestCancelledBeforeItsTurn(t *testing.T) {
	w, rdb := testWriter(t, Config{MaxBatch: 8})
	release, blocker := hold(t, w)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := w.Do(ctx, func(ctx context.Context, tx *Tx) error {
		ran = true
		return insert(ctx, tx, "cancelled")
	})
	close(release)
	if !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("cancelled job: %v, ran %v", err, ran)
	}
	if err := <-blocker; err != nil {
		t.Fatal(err)
	}
	if exists(t, rdb, "cancelled") {
		t.Fatal("the cancelled job's row exists")
	}
}

// TestLateJob: a job taken into a group whose caller gives up before the
// job's turn fails with its context's error and does not run; the others
// of the group are kept.
func TestLateJob(t *testing.T) {
	w, rdb := testWriter(t, Config{MaxBatch: 8})
	release, blocker := hold(t, w)
	lateCtx, cancelLate := context.WithCancel(context.Background())
	defer cancelLate()
	first, late := make(chan error, 1), make(chan error, 1)
	lateRan := false
	go func() {
		first <- w.Do(context.Background(), func(ctx context.Context, tx *Tx) error {
			cancelLate() // the late job is already in this group, behind us
			return insert(ctx, tx, "first")
		})
	}()
	time.Sleep(100 * time.Millisecond) // first in the queue
	go func() {
		late <- w.Do(lateCtx, func(ctx context.Context, tx *Tx) error {
			lateRan = true
			return insert(ctx, tx, "late")
		})
	}()
	time.Sleep(100 * time.Millisecond)
	close(release)
	if err := <-blocker; err != nil {
		t.Fatal(err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-late; !errors.Is(err, context.Canceled) || lateRan {
		t.Errorf("late job: %v, ran %v", err, lateRan)
	}
	if !exists(t, rdb, "first") || exists(t, rdb, "late") {
		t.Errorf("rows: first %v, late %v; want the first only", exists(t, rdb, "first"), exists(t, rdb, "late"))
	}
}

// TestJobContextNotCancelled: a job's work runs to its end even when its
// caller's context is cancelled meanwhile, and the caller waits for the
// commit.
func TestJobContextNotCancelled(t *testing.T) {
	w, rdb := testWriter(t, Config{MaxBatch: 8})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := w.Do(ctx, func(jctx context.Context, tx *Tx) error {
		cancel()
		if err := jctx.Err(); err != nil {
			return fmt.Errorf("the job's context: %w", err)
		}
		return insert(jctx, tx, "kept")
	})
	if err != nil || !exists(t, rdb, "kept") {
		t.Fatalf("job: %v, row kept %v", err, exists(t, rdb, "kept"))
	}
}

// TestClosedWriter: writes after Close are refused with Config.ErrClosed
// (ErrClosed by default), not lost in a queue; Close can be called again.
func TestClosedWriter(t *testing.T) {
	myErr := errors.New("mine is closed")
	for _, tc := range []struct {
		cfg  Config
		want error
	}{{Config{}, ErrClosed}, {Config{ErrClosed: myErr}, myErr}} {
		wdb, _ := testDB(t)
		w := Start(wdb, tc.cfg)
		if err := w.Do(context.Background(), func(ctx context.Context, tx *Tx) error { return insert(ctx, tx, "before") }); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		ran := false
		err := w.Do(context.Background(), func(context.Context, *Tx) error { ran = true; return nil })
		if !errors.Is(err, tc.want) || ran {
			t.Errorf("write after close: %v, ran %v; want %v", err, ran, tc.want)
		}
		if err := w.Close(); err != nil {
			t.Errorf("second close: %v", err)
		}
	}
}

// TestCloseWaitsForTheGroup: Close lets the group being committed finish.
func TestCloseWaitsForTheGroup(t *testing.T) {
	wdb, rdb := testDB(t)
	w := Start(wdb, Config{MaxBatch: 8})
	release, blocker := hold(t, w)
	closed := make(chan error, 1)
	go func() { closed <- w.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a job was running", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if err := <-blocker; err != nil {
		t.Fatal(err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if !exists(t, rdb, "blocker") {
		t.Fatal("the running job's row was lost")
	}
}

// TestGroupErrorIsNotAJobsError: when a failed job's savepoint cannot be
// rolled back (SQLite already rolled back the whole transaction, as after a
// full disk), the group fails as one, but the other jobs do not get the
// failed job's error as theirs, nor its panic.
func TestGroupErrorIsNotAJobsError(t *testing.T) {
	refused := errors.New("refused")
	for _, panics := range []bool{false, true} {
		w, rdb := testWriter(t, Config{MaxBatch: 8})
		release, blocker := hold(t, w)
		first, second := make(chan error, 1), make(chan any, 1)
		go func() {
			defer func() {
				if v := recover(); v != nil {
					first <- fmt.Errorf("panicked: %v", v)
				}
			}()
			first <- w.Do(context.Background(), func(ctx context.Context, tx *Tx) error { return insert(ctx, tx, "first") })
		}()
		time.Sleep(100 * time.Millisecond) // first in the queue
		go func() {
			defer func() {
				if v := recover(); v != nil {
					second <- v
				}
			}()
			second <- w.Do(context.Background(), func(ctx context.Context, tx *Tx) error {
				// What SQLite does on its own after some I/O errors.
				if _, err := tx.ExecContext(ctx, "ROLLBACK"); err != nil {
					return err
				}
				if panics {
					panic("bug in the second job")
				}
				return refused
			})
		}()
		time.Sleep(100 * time.Millisecond)
		close(release)
		if err := <-blocker; err != nil {
			t.Fatal(err)
		}
		err := <-first
		if err == nil || errors.Is(err, refused) || strings.Contains(err.Error(), "panicked") {
			t.Errorf("panics %v: the first job got %v, want the group's error", panics, err)
		}
		switch v := <-second; {
		case panics && !strings.HasPrefix(fmt.Sprint(v), "bug in the second job"):
			t.Errorf("the panicking job got %v, want its panic raised again", v)
		case !panics && !errors.Is(v.(error), refused):
			t.Errorf("the failed job got %v, want its own error", v)
		}
		if exists(t, rdb, "first") {
			t.Errorf("panics %v: the failed group's row was kept", panics)
		}
	}
}
