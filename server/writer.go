package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
)

// Writes go through one goroutine, the writer, which commits them in groups:
// it takes a waiting job, then every other job already waiting (up to
// maxWriteBatch), runs each inside its own SAVEPOINT of one transaction, and
// commits once. SQLite fsyncs the write-ahead log once per commit
// (synchronous=FULL), so a group of n jobs costs one wait for the disk
// instead of n. No job is answered before that COMMIT has returned: a job
// whose work failed had its savepoint rolled back (the others keep theirs),
// and when the COMMIT itself fails every job of the group gets the error.
// A lone job waits for nobody: groups form only from jobs that arrived while
// the previous commit was on its way to the disk.

// maxWriteBatch bounds a group, so that one commit's latency stays bounded.
const maxWriteBatch = 64

// errServerClosed is returned for writes after Close.
var errServerClosed = errors.New("the server is shutting down")

// writeJob is one transaction's work waiting for the writer.
type writeJob struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx querier) error
	done chan error // buffered: the writer never blocks on it
}

// writePanic carries a panic out of a job to the goroutine that asked for
// it, where it is raised again.
type writePanic struct {
	value any
	stack []byte
}

func (p *writePanic) Error() string { return fmt.Sprintf("panic in a write transaction: %v", p.value) }

// inWriteTx runs fn in a write transaction (shared with other jobs of the
// same group, each isolated by a savepoint) and returns once the commit is
// on disk; fn's changes are kept only if it returns nil. fn must use the ctx
// and tx it is given; its ctx is not cancelled while it runs, since
// interrupting SQLite could roll back the whole group. A panic in fn rolls
// back its changes and is raised again here.
func (s *Server) inWriteTx(ctx context.Context, fn func(ctx context.Context, tx querier) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.writeJobs <- j:
	case <-s.writerDone:
		return errServerClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	err := <-j.done
	var p *writePanic
	if errors.As(err, &p) {
		panic(fmt.Sprintf("%v\n\nin the write transaction:\n%s", p.value, p.stack))
	}
	return err
}

// startWriter starts the writer goroutine; stopWriter ends it.
func (s *Server) startWriter() {
	s.writeJobs = make(chan *writeJob)
	s.writerStop = make(chan struct{})
	s.writerDone = make(chan struct{})
	go s.writeLoop()
}

// stopWriter stops taking jobs, lets the group being committed finish, and
// returns when the writer has stopped.
func (s *Server) stopWriter() {
	close(s.writerStop)
	<-s.writerDone
}

func (s *Server) writeLoop() {
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
		if s.groupHook != nil {
			s.groupHook(len(batch))
		}
		s.commitGroup(batch)
		clear(batch)
		s.wstmts.prepareMissed(context.Background())
	}
}

// commitGroup runs the jobs in one transaction, commits it, then answers them.
func (s *Server) commitGroup(batch []*writeJob) {
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
func (s *Server) runGroup(batch []*writeJob, results []error) error {
	// The transaction must outlive any one job's context: database/sql rolls
	// a transaction back when the context it began with is done.
	ctx := context.Background()
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
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
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// runJob runs one job's work, turning a panic into a *writePanic.
func runJob(j *writeJob, tx querier) (err error) {
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
// prepared once per server and reused.
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

func (w *writeTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := w.stmts.get(ctx, query); st != nil {
		return w.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return w.tx.QueryContext(ctx, query, args...)
}

func (w *writeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := w.stmts.get(ctx, query); st != nil {
		return w.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return w.tx.QueryRowContext(ctx, query, args...)
}

// maxPreparedStatements bounds a stmtCache: queries made up at run time
// (IN lists of varying length) beyond it run unprepared.
const maxPreparedStatements = 128

// stmtCache prepares each query text once per pool. The SQLite library,
// transpiled to Go, takes longer to parse the server's small statements than
// to run them.
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

// preparedDB runs queries on a pool through its stmtCache.
type preparedDB struct{ stmts *stmtCache }

func (p preparedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.stmts.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.stmts.db.ExecContext(ctx, query, args...)
}

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
