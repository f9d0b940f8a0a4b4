package client

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
)

// Writes to the cache go through one goroutine, the writer, which commits
// them in groups: it takes a waiting job, then every other job already
// waiting (up to maxWriteBatch), runs each inside its own SAVEPOINT of one
// transaction, and commits once. A group with a durable job (the outbox,
// drafts) commits with synchronous=FULL: SQLite fsyncs the write-ahead log
// before COMMIT returns, once for the whole group. A group of relaxed jobs
// only (what the server can send again) commits with synchronous=NORMAL. No
// job is answered before its group's COMMIT has returned: a job whose work
// failed had its savepoint rolled back (the others keep theirs), and when
// the COMMIT itself fails every job of the group gets the error. A lone job
// waits for nobody: groups form only from jobs that arrived while the
// previous commit was on its way to the disk.

// maxWriteBatch bounds a group, so that one commit's latency stays bounded.
const maxWriteBatch = 32

// errStoreClosed is returned for writes after close.
var errStoreClosed = errors.New("the cache is closed")

// writeJob is one transaction's work waiting for the writer.
type writeJob struct {
	ctx     context.Context
	durable bool
	fn      func(ctx context.Context, tx *writeTx) error
	done    chan error // buffered: the writer never blocks on it
}

// writePanic carries a panic out of a job to the goroutine that asked for
// it, where it is raised again.
type writePanic struct {
	value any
	stack []byte
}

func (p *writePanic) Error() string { return fmt.Sprintf("panic in a cache transaction: %v", p.value) }

// tx runs fn in a durable write transaction: it returns once the commit is
// fsynced. fn's changes are kept only if it returns nil. fn must use the ctx
// and tx it is given; its ctx is not cancelled while it runs, since
// interrupting SQLite could roll back the whole group.
func (s *store) tx(ctx context.Context, fn func(ctx context.Context, tx *writeTx) error) error {
	return s.write(ctx, true, fn)
}

// relaxedTx is tx for writes whose loss in a power cut costs nothing but a
// repeat: atomic, but not fsynced on their own (WAL mode keeps them atomic
// either way; the next fsynced commit makes them durable too).
func (s *store) relaxedTx(ctx context.Context, fn func(ctx context.Context, tx *writeTx) error) error {
	return s.write(ctx, false, fn)
}

func (s *store) write(ctx context.Context, durable bool, fn func(ctx context.Context, tx *writeTx) error) error {
	j := &writeJob{ctx: ctx, durable: durable, fn: fn, done: make(chan error, 1)}
	select {
	case s.writeJobs <- j:
	case <-s.writerDone:
		return errStoreClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	err := <-j.done
	var p *writePanic
	if errors.As(err, &p) {
		panic(fmt.Sprintf("%v\n\nin the cache transaction:\n%s", p.value, p.stack))
	}
	return err
}

// startWriter starts the writer.
func (s *store) startWriter() {
	s.wstmts = newStmtCache(s.rw, true)
	s.syncMode = syncFull // the connection string's setting
	s.writeJobs = make(chan *writeJob)
	s.writerStop = make(chan struct{})
	s.writerDone = make(chan struct{})
	go s.writeLoop()
}

// stopWriter stops taking jobs, lets the group being committed finish, and
// returns when the writer has stopped.
func (s *store) stopWriter() error {
	if s.writerStop == nil {
		return nil
	}
	var err error
	s.stopOnce.Do(func() {
		close(s.writerStop)
		<-s.writerDone
		err = s.wstmts.close()
	})
	return err
}

func (s *store) writeLoop() {
	defer close(s.writerDone)
	batch := make([]*writeJob, 0, maxWriteBatch)
	for {
		select {
		case j := <-s.writeJobs:
			batch = append(batch[:0], j)
		case <-s.writerStop:
			return
		}
	gather:
		for len(batch) < maxWriteBatch {
			select {
			case j := <-s.writeJobs:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		s.commitGroup(batch)
		clear(batch)
		s.wstmts.prepareMissed(context.Background())
	}
}

// synchronous settings of the write connection, as the writer last set them.
const (
	syncUnknown = iota
	syncFull
	syncNormal
)

// setSync puts the write connection in the synchronous mode a group needs.
// The PRAGMA is never prepared: SQLite applies it while compiling it, and a
// prepared copy run again does nothing.
func (s *store) setSync(ctx context.Context, durable bool) error {
	want, pragma := syncNormal, "PRAGMA synchronous = NORMAL"
	if durable {
		want, pragma = syncFull, "PRAGMA synchronous = FULL"
	}
	if s.syncMode == want {
		return nil
	}
	s.syncMode = syncUnknown
	if _, err := s.rw.ExecContext(ctx, pragma); err != nil {
		return fmt.Errorf("set synchronous mode: %w", err)
	}
	s.syncMode = want
	return nil
}

// commitGroup runs the jobs in one transaction, commits it, then answers them.
func (s *store) commitGroup(batch []*writeJob) {
	results := make([]error, len(batch))
	if err := s.runGroup(batch, results); err != nil {
		for i := range results {
			results[i] = err
		}
	}
	for i, j := range batch {
		j.done <- results[i]
	}
}

// runGroup runs and commits the group, filling results with each job's own
// outcome. A non-nil return means nothing of the group was kept.
func (s *store) runGroup(batch []*writeJob, results []error) error {
	// The transaction must outlive any one job's context: database/sql rolls
	// a transaction back when the context it began with is done.
	ctx := context.Background()
	durable := false
	for _, j := range batch {
		durable = durable || j.durable
	}
	if err := s.setSync(ctx, durable); err != nil {
		return err
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin cache transaction: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	wtx := &writeTx{tx: tx, stmts: s.wstmts}
	if len(batch) == 1 {
		// Alone: no savepoint needed, a failure rolls back the transaction.
		results[0] = runJob(batch[0], wtx)
		if results[0] != nil {
			if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
				results[0] = errors.Join(results[0], fmt.Errorf("rollback: %w", err))
			}
			return nil
		}
	} else {
		for i, j := range batch {
			if _, err := wtx.ExecContext(ctx, "SAVEPOINT job"); err != nil {
				return fmt.Errorf("savepoint: %w", err)
			}
			results[i] = runJob(j, wtx)
			if results[i] != nil {
				// Some errors (a full disk, I/O) make SQLite roll back the
				// whole transaction; then the savepoint is gone too and the
				// group fails as one.
				if _, err := wtx.ExecContext(ctx, "ROLLBACK TO job"); err != nil {
					return errors.Join(fmt.Errorf("rollback to savepoint: %w", err), results[i])
				}
			}
			if _, err := wtx.ExecContext(ctx, "RELEASE job"); err != nil {
				return fmt.Errorf("release savepoint: %w", err)
			}
		}
	}
	committed = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit cache transaction: %w", err)
	}
	return nil
}

// runJob runs one job's work, turning a panic into a *writePanic.
func runJob(j *writeJob, tx *writeTx) (err error) {
	if err := j.ctx.Err(); err != nil {
		return err // the caller gave up before its turn
	}
	defer func() {
		if v := recover(); v != nil {
			err = &writePanic{value: v, stack: debug.Stack()}
		}
	}()
	return j.fn(context.WithoutCancel(j.ctx), tx)
}

// writeTx is a job's view of the group's transaction: statements are
// prepared once per cache and reused.
type writeTx struct {
	tx    *sql.Tx
	stmts *stmtCache
}

func (w *writeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := w.stmts.get(ctx, query); st != nil {
		return w.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return w.tx.ExecContext(ctx, query, args...)
}

func (w *writeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := w.stmts.get(ctx, query); st != nil {
		return w.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return w.tx.QueryRowContext(ctx, query, args...)
}

// PrepareContext returns query as a statement of the transaction; closing
// it leaves the cached statement alone.
func (w *writeTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := w.stmts.get(ctx, query); st != nil {
		return w.tx.StmtContext(ctx, st), nil
	}
	return w.tx.PrepareContext(ctx, query)
}

// maxPreparedStatements bounds a stmtCache: queries made up at run time
// beyond it run unprepared.
const maxPreparedStatements = 128

// stmtCache prepares each query text once per pool. The SQLite library,
// transpiled to Go, takes about as long to parse the cache's small
// statements as to run them.
type stmtCache struct {
	db *sql.DB
	// later: prepare missed statements only when prepareMissed is called.
	// The writer's pool has one connection, which is inside the group's
	// transaction whenever a job asks for a statement; preparing on the pool
	// then would wait for that connection for ever.
	later bool

	mu     sync.Mutex
	m      map[string]*sql.Stmt
	missed map[string]bool
}

func newStmtCache(db *sql.DB, later bool) *stmtCache {
	return &stmtCache{db: db, later: later, m: map[string]*sql.Stmt{}, missed: map[string]bool{}}
}

// get returns the prepared statement of query, or nil when it is not
// prepared (yet, or it cannot be: the caller then runs the query as it is,
// and sees the error if there is one).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if len(c.m)+len(c.missed) >= maxPreparedStatements || isPragma(query) {
		return nil
	}
	if c.later {
		c.missed[query] = true
		return nil
	}
	st, err := c.db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	c.m[query] = st
	return st
}

// prepareMissed prepares the statements get was asked for since the last
// call (the writer calls it between groups, when its connection is free).
func (c *stmtCache) prepareMissed(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.missed {
		delete(c.missed, q)
		if st, err := c.db.PrepareContext(ctx, q); err == nil {
			c.m[q] = st
		}
	}
}

// isPragma reports whether query is a PRAGMA, which SQLite may apply while
// compiling it: a prepared copy run again could do nothing.
func isPragma(query string) bool {
	q := strings.TrimSpace(query)
	return len(q) >= 6 && strings.EqualFold(q[:6], "PRAGMA")
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

// preparedDB runs read queries on a pool through its stmtCache.
type preparedDB struct{ stmts *stmtCache }

func (p preparedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmts.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.stmts.db.QueryContext(ctx, query, args...)
}

func (p preparedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmts.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.stmts.db.QueryRowContext(ctx, query, args...)
}
