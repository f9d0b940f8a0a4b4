// Package stmtcache prepares each query text once per database/sql pool and
// reuses the statement. The SQLite library, transpiled to Go, takes about as
// long to parse small statements as to run them, so the client's cache and
// the server both run their queries through a Cache.
//
// A Cache made with NewDeferred prepares nothing by itself: it notes the
// queries it was asked for, and PrepareMissed prepares them later. That is
// for a pool of one connection that is inside a transaction whenever a query
// is asked for (the group-commit writer's): preparing on the pool then would
// wait for that connection for ever.
package stmtcache

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
)

// MaxStatements bounds a Cache: queries made up at run time (IN lists of
// varying length) beyond it run unprepared.
const MaxStatements = 128

// Cache holds the prepared statements of one pool. It is safe for
// concurrent use.
type Cache struct {
	db       *sql.DB
	deferred bool

	mu     sync.Mutex
	m      map[string]*sql.Stmt
	missed map[string]bool
}

// New returns a Cache that prepares a query on db the first time it is
// asked for.
func New(db *sql.DB) *Cache { return newCache(db, false) }

// NewDeferred returns a Cache that prepares the queries it was asked for
// only when PrepareMissed is called.
func NewDeferred(db *sql.DB) *Cache { return newCache(db, true) }

func newCache(db *sql.DB, deferred bool) *Cache {
	return &Cache{db: db, deferred: deferred, m: map[string]*sql.Stmt{}, missed: map[string]bool{}}
}

// Get returns the prepared statement of query, or nil when it is not
// prepared (yet, or it cannot be: the caller then runs the query as it is,
// and sees the error if there is one). A PRAGMA is never prepared: SQLite
// may apply it while compiling it, and a prepared copy run again could do
// nothing.
func (c *Cache) Get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if len(c.m)+len(c.missed) >= MaxStatements || isPragma(query) {
		return nil
	}
	if c.deferred {
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

// PrepareMissed prepares the statements Get was asked for since the last
// call. A query that fails to prepare is forgotten; Get notes it again.
func (c *Cache) PrepareMissed(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.missed {
		delete(c.missed, q)
		if st, err := c.db.PrepareContext(ctx, q); err == nil {
			c.m[q] = st
		}
	}
}

// isPragma reports whether query is a PRAGMA.
func isPragma(query string) bool {
	q := strings.TrimSpace(query)
	return len(q) >= 6 && strings.EqualFold(q[:6], "PRAGMA")
}

// Close closes the prepared statements (not the pool). The Cache stays
// usable: it prepares again what it is asked for.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		if err := st.Close(); err != nil {
			errs = append(errs, err)
		}
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

// Pool runs queries on a Cache's pool through its prepared statements.
type Pool struct{ c *Cache }

// NewPool returns a Pool that runs queries on db, each prepared once.
func NewPool(db *sql.DB) Pool { return Pool{New(db)} }

// Close closes the prepared statements (not the pool).
func (p Pool) Close() error { return p.c.Close() }

// ExecContext is db.ExecContext through the prepared statement of query.
func (p Pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.c.Get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.c.db.ExecContext(ctx, query, args...)
}

// QueryContext is db.QueryContext through the prepared statement of query.
func (p Pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.c.Get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.c.db.QueryContext(ctx, query, args...)
}

// QueryRowContext is db.QueryRowContext through the prepared statement of
// query.
func (p Pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.c.Get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.c.db.QueryRowContext(ctx, query, args...)
}
