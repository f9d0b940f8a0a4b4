// Package groupcommit is a "group commit" writer for one SQLite database:
// writes go through one goroutine, which commits them in groups. It takes a
// waiting job, then every other job already waiting (up to a maximum), runs
// each inside its own SAVEPOINT of one transaction, and commits once, so
// that a group of n jobs costs one wait for the disk instead of n.
//
// No job is answered before its group's COMMIT has returned: a job whose
// work failed had its savepoint rolled back (the others keep theirs), and
// when the COMMIT itself fails every job of the group gets the error. A
// panic in a job rolls back its savepoint and is raised again in the
// goroutine that submitted the job. A lone job waits for nobody: groups form
// only from jobs that arrived while the previous commit was on its way to
// the disk.
//
// Jobs are durable or relaxed; the writer only tells its BeforeGroup hook
// whether a group holds a durable job (the client's cache uses it to choose
// SQLite's synchronous mode). A BeforeCommit hook runs once per group in its
// transaction, after the jobs (the client counts its outbox there). Statements
// run through a Tx are prepared once (package stmtcache) and reused.
package groupcommit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"

	"sanshen/internal/stmtcache"
)

// ErrClosed is what Do returns after Close unless Config.ErrClosed says
// otherwise.
var ErrClosed = errors.New("the writer is closed")

// Config is a writer's settings.
type Config struct {
	// MaxBatch bounds a group, so that one commit's latency stays bounded;
	// 0 or less means 1 (no grouping).
	MaxBatch int
	// Name names the transaction in errors and panics ("cache
	// transaction": "begin cache transaction: …"). Default "write
	// transaction".
	Name string
	// ErrClosed is returned for jobs submitted after Close. Default
	// ErrClosed.
	ErrClosed error
	// BeforeGroup, when set, runs in the writer goroutine before each
	// group's BEGIN, with the number of jobs and whether any of them is
	// durable. The pool's connection is free then (no transaction). An
	// error fails every job of the group with it.
	BeforeGroup func(ctx context.Context, size int, durable bool) error
	// BeforeCommit, when set, runs in the writer goroutine after the jobs
	// of a group that kept at least one job's work, in the group's
	// transaction, just before COMMIT: work done once for the group
	// rather than once per job (counting what the jobs left). An error
	// fails every job of the group with it.
	BeforeCommit func(ctx context.Context, tx *Tx) error
}

// Writer commits jobs in groups on a pool of one connection.
type Writer struct {
	db    *sql.DB
	cfg   Config
	stmts *stmtcache.Cache

	jobs     chan *job
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{} // closed when the writer goroutine has ended
	err      error         // closing the statements; set before done is closed
}

// job is one transaction's work waiting for the writer.
type job struct {
	ctx     context.Context
	durable bool
	fn      func(ctx context.Context, tx *Tx) error
	done    chan error // buffered: the writer never blocks on it
}

// jobPanic carries a panic out of a job to the goroutine that submitted
// it, where it is raised again.
type jobPanic struct {
	name  string
	value any
	stack []byte
}

func (p *jobPanic) Error() string { return fmt.Sprintf("panic in a %s: %v", p.name, p.value) }

// Start starts a writer on db, a pool of one connection (SetMaxOpenConns(1)):
// the writer keeps it inside the group's transaction while jobs run.
func Start(db *sql.DB, cfg Config) *Writer {
	cfg.MaxBatch = max(cfg.MaxBatch, 1)
	if cfg.Name == "" {
		cfg.Name = "write transaction"
	}
	if cfg.ErrClosed == nil {
		cfg.ErrClosed = ErrClosed
	}
	w := &Writer{
		db:    db,
		cfg:   cfg,
		stmts: stmtcache.NewDeferred(db),
		jobs:  make(chan *job),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go w.loop()
	return w
}

// Do runs fn in a durable job: fn's changes are kept only if it returns
// nil, and Do returns once they are committed. fn must use the ctx and tx it
// is given; its ctx is not cancelled while it runs, since interrupting
// SQLite could roll back the whole group. A ctx done before fn's turn fails
// the job with ctx's error, and fn does not run. A panic in fn rolls back
// its changes and is raised again here.
func (w *Writer) Do(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	return w.submit(ctx, true, fn)
}

// DoRelaxed is Do for a job whose loss in a power cut costs nothing but a
// repeat: BeforeGroup is told that a group of relaxed jobs only holds no
// durable job.
func (w *Writer) DoRelaxed(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	return w.submit(ctx, false, fn)
}

func (w *Writer) submit(ctx context.Context, durable bool, fn func(ctx context.Context, tx *Tx) error) error {
	j := &job{ctx: ctx, durable: durable, fn: fn, done: make(chan error, 1)}
	select {
	case w.jobs <- j:
	case <-w.done:
		return w.cfg.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	err := <-j.done
	var p *jobPanic
	if errors.As(err, &p) {
		panic(fmt.Sprintf("%v\n\nin the %s:\n%s", p.value, p.name, p.stack))
	}
	return err
}

// Close stops taking jobs, lets the group being committed finish, waits
// for the writer goroutine to end and closes the writer's prepared
// statements (not the pool). Jobs submitted afterwards get
// Config.ErrClosed. Later calls return the first one's result.
func (w *Writer) Close() error {
	w.stopOnce.Do(func() { close(w.stop) })
	<-w.done
	return w.err
}

func (w *Writer) loop() {
	defer close(w.done)
	defer func() { w.err = w.stmts.Close() }()
	batch := make([]*job, 0, w.cfg.MaxBatch)
	for {
		select {
		case j := <-w.jobs:
			batch = append(batch[:0], j)
		case <-w.stop:
			return
		}
	gather:
		for len(batch) < w.cfg.MaxBatch {
			select {
			case j := <-w.jobs:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		w.commitGroup(batch)
		clear(batch)
		w.stmts.PrepareMissed(context.Background())
	}
}

// commitGroup runs the jobs in one transaction, commits it, then answers them.
// When the group fails as one, the jobs that had succeeded or not yet run get
// the group's error; a job that had failed keeps its own error or panic (its
// work was not kept either way).
func (w *Writer) commitGroup(batch []*job) {
	results := make([]error, len(batch))
	if err := w.runGroup(batch, results); err != nil {
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
	}
	for i, j := range batch {
		j.done <- results[i]
	}
}

// runGroup runs and commits the group, filling results with each job's own
// outcome. A non-nil return means nothing of the group was kept.
func (w *Writer) runGroup(batch []*job, results []error) error {
	// The transaction must outlive any one job's context: database/sql rolls
	// a transaction back when the context it began with is done.
	ctx := context.Background()
	if w.cfg.BeforeGroup != nil {
		durable := false
		for _, j := range batch {
			durable = durable || j.durable
		}
		if err := w.cfg.BeforeGroup(ctx, len(batch), durable); err != nil {
			return err
		}
	}
	sqlTx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin %s: %w", w.cfg.Name, err)
	}
	committed := false
	defer func() {
		if !committed {
			sqlTx.Rollback()
		}
	}()
	tx := &Tx{tx: sqlTx, stmts: w.stmts}
	if len(batch) == 1 {
		// Alone: no savepoint needed, a failure rolls back the transaction.
		results[0] = w.runJob(batch[0], tx)
		if results[0] != nil {
			if err := sqlTx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
				results[0] = errors.Join(results[0], fmt.Errorf("rollback: %w", err))
			}
			return nil
		}
	} else {
		for i, j := range batch {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT job"); err != nil {
				return fmt.Errorf("savepoint: %w", err)
			}
			results[i] = w.runJob(j, tx)
			if results[i] != nil {
				// Some errors (a full disk, I/O) make SQLite roll back the
				// whole transaction; then the savepoint is gone too and the
				// group fails as one. The group's error names the job's
				// without wrapping it: the other jobs must not take it for
				// theirs (an API error's status, a panic raised again).
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO job"); err != nil {
					return fmt.Errorf("rollback to savepoint: %w (after a job failed: %v)", err, results[i])
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE job"); err != nil {
				return fmt.Errorf("release savepoint: %w", err)
			}
		}
	}
	if w.cfg.BeforeCommit != nil && slices.Contains(results, nil) {
		if err := w.cfg.BeforeCommit(ctx, tx); err != nil {
			return fmt.Errorf("%s, before commit: %w", w.cfg.Name, err)
		}
	}
	committed = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit %s: %w", w.cfg.Name, err)
	}
	return nil
}

// runJob runs one job's work, turning a panic into a *jobPanic.
func (w *Writer) runJob(j *job, tx *Tx) (err error) {
	if err := j.ctx.Err(); err != nil {
		return err // the caller gave up before its turn
	}
	defer func() {
		if v := recover(); v != nil {
			err = &jobPanic{name: w.cfg.Name, value: v, stack: debug.Stack()}
		}
	}()
	return j.fn(context.WithoutCancel(j.ctx), tx)
}

// Tx is a job's view of the group's transaction: statements are prepared
// once per writer and reused. It is valid only while the job runs.
type Tx struct {
	tx    *sql.Tx
	stmts *stmtcache.Cache
}

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmts.Get(ctx, query); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmts.Get(ctx, query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query of at most one row in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmts.Get(ctx, query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// PrepareContext returns query as a statement of the transaction; closing
// it leaves the cached statement alone.
func (t *Tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := t.stmts.Get(ctx, query); st != nil {
		return t.tx.StmtContext(ctx, st), nil
	}
	return t.tx.PrepareContext(ctx, query)
}
