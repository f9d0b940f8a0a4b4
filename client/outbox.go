package client

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"sanshen/review"
)

// OutboxState is where a decision made on this machine stands.
type OutboxState string

// Outbox states: pending → sent | conflict | rejected.
const (
	// OutboxPending: committed here, not yet acknowledged by the server.
	OutboxPending OutboxState = "pending"
	// OutboxSent: the server has it (201 the first time or 200 on a retry).
	OutboxSent OutboxState = "sent"
	// OutboxConflict: the server refused it with 409 — the item moved on (a new
	// version, another stage). The decision and its comments are kept, and a
	// draft for the item's new version is made from them.
	OutboxConflict OutboxState = "conflict"
	// OutboxRejected: the server refused it for good (403, 422, 404, …);
	// Message holds its reason.
	OutboxRejected OutboxState = "rejected"
)

// OutboxEntry is one decision made on this machine.
type OutboxEntry struct {
	ID        string // the decision's id, its idempotency key
	ItemID    string
	ItemTitle string
	Decision  review.Decision
	State     OutboxState
	// HTTPStatus, Code and Message are the server's refusal (conflict,
	// rejected); Message is the server's own text.
	HTTPStatus int
	Code       string
	Message    string
	Attempts   int    // how many times sending was tried
	LastError  string // why the last try did not reach the server (while pending)
	// SupersededBy is the id of a later decision on the same item that
	// replaces this refused one.
	SupersededBy string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SentAt       time.Time // zero until sent
}

// Open reports whether the entry still needs the reviewer or the network:
// pending, or refused and not yet redone.
func (e OutboxEntry) Open() bool {
	return e.State == OutboxPending || (e.State == OutboxConflict || e.State == OutboxRejected) && e.SupersededBy == ""
}

// enqueue commits a decision to the outbox in one durable transaction:
// refused entries of the same item are marked superseded and the draft of the
// decided version is removed. It refuses a second pending decision on an item.
func (s *store) enqueue(ctx context.Context, itemID, itemTitle string, d review.Decision, now time.Time) (OutboxEntry, outboxTally, error) {
	body, err := json.Marshal(d)
	if err != nil {
		return OutboxEntry{}, outboxTally{}, err
	}
	e := OutboxEntry{ID: d.ID, ItemID: itemID, ItemTitle: itemTitle, Decision: d, State: OutboxPending, CreatedAt: now, UpdatedAt: now}
	tally, err := s.talliedTx(ctx, true, func(ctx context.Context, tx *writeTx) error {
		var other string
		err := tx.QueryRowContext(ctx, "SELECT id FROM outbox WHERE item_id = ? AND state = 'pending' AND id <> ? LIMIT 1", itemID, d.ID).Scan(&other)
		if err == nil {
			return fmt.Errorf("item %s, decision %s: %w", itemID, other, ErrAlreadyPending)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, item_id, item_title, decision, action, stage, version, sha256, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING`,
			d.ID, itemID, itemTitle, string(body), string(d.Action), string(d.Stage), d.Version, d.SHA256, timeText(now), timeText(now))
		if err != nil {
			return fmt.Errorf("write decision to the outbox: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("decision %s is already in the outbox", d.ID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET superseded_by = ?, updated_at = ? WHERE item_id = ? AND id <> ?
				AND state IN ('conflict', 'rejected') AND superseded_by = ''`, d.ID, timeText(now), itemID, d.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM drafts WHERE item_id = ? AND version = ?", itemID, d.Version)
		return err
	})
	if err != nil {
		return OutboxEntry{}, outboxTally{}, err
	}
	return e, tally, nil
}

const outboxColumns = `id, item_id, item_title, decision, state, http_status, code, message, attempts, last_error, superseded_by, created_at, updated_at, sent_at`

func scanOutbox(row interface{ Scan(...any) error }) (OutboxEntry, error) {
	var e OutboxEntry
	var decision, state, created, updated, sent string
	if err := row.Scan(&e.ID, &e.ItemID, &e.ItemTitle, &decision, &state, &e.HTTPStatus, &e.Code, &e.Message, &e.Attempts,
		&e.LastError, &e.SupersededBy, &created, &updated, &sent); err != nil {
		return OutboxEntry{}, err
	}
	if err := json.Unmarshal([]byte(decision), &e.Decision); err != nil {
		return OutboxEntry{}, fmt.Errorf("outbox entry %s: %w", e.ID, err)
	}
	e.State, e.CreatedAt, e.UpdatedAt, e.SentAt = OutboxState(state), parseTime(created), parseTime(updated), parseTime(sent)
	return e, nil
}

// listOutbox returns outbox entries oldest first: all, or those of one item.
func (s *store) listOutbox(ctx context.Context, itemID string) ([]OutboxEntry, error) {
	q := "SELECT " + outboxColumns + " FROM outbox"
	var args []any
	if itemID != "" {
		q += " WHERE item_id = ?"
		args = append(args, itemID)
	}
	return s.queryOutbox(ctx, q+" ORDER BY rowid", args...)
}

// pendingOutbox returns the entries to send, oldest first.
func (s *store) pendingOutbox(ctx context.Context) ([]OutboxEntry, error) {
	return s.queryOutbox(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE state = 'pending' ORDER BY rowid")
}

func (s *store) queryOutbox(ctx context.Context, q string, args ...any) ([]OutboxEntry, error) {
	rows, err := s.reads.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		e, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// outboxEntry returns one entry.
func (s *store) outboxEntry(ctx context.Context, id string) (OutboxEntry, error) {
	e, err := scanOutbox(s.reads.QueryRowContext(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return OutboxEntry{}, fmt.Errorf("outbox entry %s: %w", id, ErrNotFound)
	}
	return e, err
}

// outboxCountsSQL counts the entries pending, and those refused and not yet
// redone. Both counts use the state index: sent entries, the many, are not read.
const outboxCountsSQL = `SELECT
	(SELECT COUNT(*) FROM outbox WHERE state = 'pending'),
	(SELECT COUNT(*) FROM outbox WHERE state IN ('conflict', 'rejected') AND superseded_by = '')`

// outboxCounts returns how many entries are pending, and how many are
// refused and not yet redone.
func (s *store) outboxCounts(ctx context.Context) (pending, refused int, err error) {
	err = s.reads.QueryRowContext(ctx, outboxCountsSQL).Scan(&pending, &refused)
	return pending, refused, err
}

// outboxTally is the outbox counts as a write left them. seq orders tallies
// by the order the writer ran their writes in, so that a later write's
// counts are never replaced by an earlier one's.
type outboxTally struct {
	pending, refused int
	seq              uint64
}

// tallyTx counts the outbox in the writer's transaction, once per group
// just before its commit (see talliedTx): no separate read, and counts
// that include every write of the group.
func (s *store) tallyTx(ctx context.Context, tx *writeTx) (outboxTally, error) {
	var t outboxTally
	if err := tx.QueryRowContext(ctx, outboxCountsSQL).Scan(&t.pending, &t.refused); err != nil {
		return outboxTally{}, fmt.Errorf("count the outbox: %w", err)
	}
	s.tallySeq++ // writes run one at a time, on the writer
	t.seq = s.tallySeq
	return t, nil
}

// recordSent records the server's acknowledgement in one transaction: the
// entry is sent, the item leaves the cached queue (the next sync brings it
// back if it is still ours), the item the server returned (if any) is stored
// and marked stale so that the next sync fetches its whole trail. It is not
// fsynced on its own (synchronous=NORMAL for this transaction): were it
// lost to a power cut, the entry is sent again and the server answers 200
// without acting twice.
func (s *store) recordSent(ctx context.Context, e OutboxEntry, rep DecisionReply, now time.Time) (outboxTally, error) {
	return s.talliedTx(ctx, false, func(ctx context.Context, tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = '', sent_at = ?, updated_at = ?
			WHERE id = ? AND state = 'pending'`, timeText(now), timeText(now), e.ID); err != nil {
			return fmt.Errorf("update outbox: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM queue WHERE item_id = ?", e.ItemID); err != nil {
			return err
		}
		// A decision adds no version: the item's row and the new events do.
		if rep.Created && rep.Item != nil {
			if err := saveItemRowTx(ctx, tx, *rep.Item, now, true); err != nil {
				return err
			}
			return appendEventsTx(ctx, tx, e.ItemID, rep.Events)
		}
		_, err := tx.ExecContext(ctx, "UPDATE items SET stale = 1 WHERE id = ?", e.ItemID)
		return err
	})
}

// markAttempt records a try that did not reach a verdict.
func (s *store) markAttempt(ctx context.Context, id string, cause error, now time.Time) error {
	return s.relaxedTx(ctx, func(ctx context.Context, tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ? AND state = 'pending'`,
			cause.Error(), timeText(now), id)
		return err
	})
}

// markRefused records a refusal (conflict or rejected) with the server's
// words, durably, and marks the item stale.
func (s *store) markRefused(ctx context.Context, id, itemID string, state OutboxState, se *ServerError, now time.Time) (outboxTally, error) {
	return s.talliedTx(ctx, true, func(ctx context.Context, tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, http_status = ?, code = ?, message = ?, attempts = attempts + 1,
			last_error = '', updated_at = ? WHERE id = ? AND state = 'pending'`,
			string(state), se.Status, se.Code, se.Text(), timeText(now), id); err != nil {
			return fmt.Errorf("update outbox: %w", err)
		}
		_, err := tx.ExecContext(ctx, "UPDATE items SET stale = 1 WHERE id = ?", itemID)
		return err
	})
}
