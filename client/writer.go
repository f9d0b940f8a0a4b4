package client

import (
	"context"
	"errors"
	"fmt"

	"sanshen/internal/groupcommit"
)

// Writes to the cache go through one goroutine, the writer (package
// groupcommit), which commits them in groups: it takes a waiting job, then
// every other job already waiting (up to maxWriteBatch), runs each inside
// its own SAVEPOINT of one transaction, and commits once. A group with a
// durable job (the outbox, drafts) commits with synchronous=FULL: SQLite
// fsyncs the write-ahead log before COMMIT returns, once for the whole
// group. A group of relaxed jobs only (what the server can send again)
// commits with synchronous=NORMAL. No job is answered before its group's
// COMMIT has returned: a job whose work failed had its savepoint rolled back
// (the others keep theirs), and when the COMMIT itself fails every job of
// the group gets the error.

// maxWriteBatch bounds a group, so that one commit's latency stays bounded.
const maxWriteBatch = 32

// errStoreClosed is returned for writes after close.
var errStoreClosed = errors.New("the cache is closed")

// writeTx is a job's view of the group's transaction: statements are
// prepared once per cache and reused.
type writeTx = groupcommit.Tx

// tx runs fn in a durable write transaction: it returns once the commit is
// fsynced. fn's changes are kept only if it returns nil. fn must use the ctx
// and tx it is given; its ctx is not cancelled while it runs, since
// interrupting SQLite could roll back the whole group.
func (s *store) tx(ctx context.Context, fn func(ctx context.Context, tx *writeTx) error) error {
	return s.writer.Do(ctx, fn)
}

// relaxedTx is tx for writes whose loss in a power cut costs nothing but a
// repeat: atomic, but not fsynced on their own (WAL mode keeps them atomic
// either way; the next fsynced commit makes them durable too).
func (s *store) relaxedTx(ctx context.Context, fn func(ctx context.Context, tx *writeTx) error) error {
	return s.writer.DoRelaxed(ctx, fn)
}

// startWriter starts the writer.
func (s *store) startWriter() {
	s.syncMode = syncFull // the connection string's setting
	s.writer = groupcommit.Start(s.rw, groupcommit.Config{
		MaxBatch:  maxWriteBatch,
		Name:      "cache transaction",
		ErrClosed: errStoreClosed,
		BeforeGroup: func(ctx context.Context, _ int, durable bool) error {
			s.group = &writeGroup{}
			return s.setSync(ctx, durable)
		},
		BeforeCommit: func(ctx context.Context, tx *writeTx) error {
			if !s.group.wantTally {
				return nil
			}
			var err error
			s.group.tally, err = s.tallyTx(ctx, tx)
			return err
		},
	})
}

// writeGroup is what the jobs of one group share. The writer goroutine
// alone touches it until the group's jobs are answered; a job's caller may
// read it after its tx call has returned.
type writeGroup struct {
	wantTally bool
	tally     outboxTally // the outbox counts at the group's commit, when wanted
}

// talliedTx runs fn in a write transaction (fsynced when durable) and, when
// fn succeeds, returns the outbox counts taken once the transaction's group
// has run its jobs, just before its commit (once for the group, not once
// per job).
func (s *store) talliedTx(ctx context.Context, durable bool, fn func(ctx context.Context, tx *writeTx) error) (outboxTally, error) {
	var group *writeGroup
	run := s.relaxedTx
	if durable {
		run = s.tx
	}
	err := run(ctx, func(ctx context.Context, tx *writeTx) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		s.group.wantTally = true // read by BeforeCommit on the writer goroutine
		group = s.group
		return nil
	})
	if err != nil {
		return outboxTally{}, err
	}
	return group.tally, nil
}

// stopWriter stops taking jobs, lets the group being committed finish, and
// returns when the writer has stopped.
func (s *store) stopWriter() error {
	if s.writer == nil {
		return nil
	}
	return s.writer.Close()
}

// synchronous settings of the write connection, as the writer last set them.
const (
	syncUnknown = iota
	syncFull
	syncNormal
)

// setSync puts the write connection in the synchronous mode a group needs.
// It runs in the writer goroutine, before the group's BEGIN. The PRAGMA is
// never prepared: SQLite applies it while compiling it, and a prepared copy
// run again does nothing.
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
