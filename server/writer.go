package server

import (
	"context"
	"errors"

	"sanshen/internal/groupcommit"
)

// Writes go through one goroutine, the writer (package groupcommit), which
// commits them in groups: it takes a waiting job, then every other job
// already waiting (up to maxWriteBatch), runs each inside its own SAVEPOINT
// of one transaction, and commits once. SQLite fsyncs the write-ahead log
// once per commit (synchronous=FULL), so a group of n jobs costs one wait
// for the disk instead of n. No job is answered before that COMMIT has
// returned: a job whose work failed had its savepoint rolled back (the
// others keep theirs), and when the COMMIT itself fails every job of the
// group gets the error.

// maxWriteBatch bounds a group, so that one commit's latency stays bounded.
const maxWriteBatch = 64

// errServerClosed is returned for writes after Close.
var errServerClosed = errors.New("the server is shutting down")

// inWriteTx runs fn in a write transaction (shared with other jobs of the
// same group, each isolated by a savepoint) and returns once the commit is
// on disk; fn's changes are kept only if it returns nil. fn must use the ctx
// and tx it is given; its ctx is not cancelled while it runs, since
// interrupting SQLite could roll back the whole group. A panic in fn rolls
// back its changes and is raised again here.
func (s *Server) inWriteTx(ctx context.Context, fn func(ctx context.Context, tx querier) error) error {
	return s.writer.Do(ctx, func(ctx context.Context, tx *groupcommit.Tx) error { return fn(ctx, tx) })
}

// startWriter starts the writer goroutine; stopWriter ends it.
func (s *Server) startWriter() {
	s.writer = groupcommit.Start(s.wdb, groupcommit.Config{
		MaxBatch:  maxWriteBatch,
		Name:      "write transaction",
		ErrClosed: errServerClosed,
		BeforeGroup: func(_ context.Context, size int, _ bool) error {
			if s.groupHook != nil {
				s.groupHook(size)
			}
			return nil
		},
	})
}

// stopWriter stops taking jobs, lets the group being committed finish,
// returns when the writer has stopped and closes its prepared statements.
func (s *Server) stopWriter() error {
	return s.writer.Close()
}
