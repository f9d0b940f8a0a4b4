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

// QueueEntry is one line of the cached queue with what this machine knows
// about it.
type QueueEntry struct {
	QueueItem
	Cached bool        // the item's detail is in the cache (it can be opened offline)
	Draft  bool        // a draft decision is saved for the queued version
	Outbox OutboxState // the latest decision made here on this item and not superseded; "" if none
}

// ItemDetail is a cached item with everything the review screen needs.
type ItemDetail struct {
	review.Item
	Events       []review.Event
	CachedBodies []int         // version numbers whose body is in the cache
	Outbox       []OutboxEntry // decisions made here on this item, oldest first
	FetchedAt    time.Time     // when the item was last fetched from the server
	Stale        bool          // the cache knows the item changed and will fetch it again
}

// Writes of what the server can send again (queue, items, bodies, events)
// use relaxedTx: atomic, but not fsynced one by one; a power cut may undo
// the last of them, and the next sync fetches them again. The outbox and
// drafts, which only this machine has, are written with tx (fsynced).

// replaceQueue stores a full queue, dropping rows not in it.
func (s *store) replaceQueue(ctx context.Context, items []QueueItem, cursor Cursor) error {
	return s.relaxedTx(ctx, func(ctx context.Context, tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM queue"); err != nil {
			return err
		}
		if err := upsertQueue(ctx, tx, items); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaCursor, string(cursor))
	})
}

// applyQueueChanges applies an incremental page.
func (s *store) applyQueueChanges(ctx context.Context, items []QueueItem, removed []string, cursor Cursor) error {
	return s.relaxedTx(ctx, func(ctx context.Context, tx *writeTx) error {
		var keep []QueueItem
		del, err := tx.PrepareContext(ctx, "DELETE FROM queue WHERE item_id = ?")
		if err != nil {
			return err
		}
		defer del.Close()
		for _, it := range items {
			if it.Removed {
				removed = append(removed, it.ID)
				continue
			}
			keep = append(keep, it)
		}
		for _, id := range removed {
			if _, err := del.ExecContext(ctx, id); err != nil {
				return err
			}
		}
		if err := upsertQueue(ctx, tx, keep); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaCursor, string(cursor))
	})
}

func upsertQueue(ctx context.Context, tx *writeTx, items []QueueItem) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO queue (item_id, title, column_name, department, stage, version, sha256, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (item_id) DO UPDATE SET title = excluded.title, column_name = excluded.column_name,
			department = excluded.department, stage = excluded.stage, version = excluded.version,
			sha256 = excluded.sha256, updated_at = excluded.updated_at`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, it := range items {
		if it.Removed {
			continue
		}
		if _, err := st.ExecContext(ctx, it.ID, it.Title, it.Column, it.Department, string(it.Stage), it.Version, it.SHA256, timeText(it.UpdatedAt)); err != nil {
			return fmt.Errorf("store queue entry %s: %w", it.ID, err)
		}
	}
	return nil
}

// listQueue returns the cached queue, oldest change first.
func (s *store) listQueue(ctx context.Context) ([]QueueEntry, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT q.item_id, q.title, q.column_name, q.department, q.stage, q.version, q.sha256, q.updated_at,
			EXISTS (SELECT 1 FROM items i WHERE i.id = q.item_id),
			EXISTS (SELECT 1 FROM drafts d WHERE d.item_id = q.item_id AND d.version = q.version),
			COALESCE((SELECT o.state FROM outbox o WHERE o.item_id = q.item_id AND o.superseded_by = '' ORDER BY o.rowid DESC LIMIT 1), '')
		FROM queue q ORDER BY q.updated_at, q.item_id`)
	if err != nil {
		return nil, fmt.Errorf("read queue: %w", err)
	}
	defer rows.Close()
	var out []QueueEntry
	for rows.Next() {
		var e QueueEntry
		var stage, updated, state string
		if err := rows.Scan(&e.ID, &e.Title, &e.Column, &e.Department, &stage, &e.Version, &e.SHA256, &updated,
			&e.Cached, &e.Draft, &state); err != nil {
			return nil, fmt.Errorf("read queue: %w", err)
		}
		e.Stage, e.UpdatedAt, e.Outbox = review.Stage(stage), parseTime(updated), OutboxState(state)
		out = append(out, e)
	}
	return out, rows.Err()
}

// itemAndQueueEntry reads, in one statement (one snapshot), the cached item
// (derr wraps ErrNotCached when there is none) and its queue row (inQueue).
func (s *store) itemAndQueueEntry(ctx context.Context, id string) (it review.Item, derr error, q QueueItem, inQueue bool, err error) {
	var detail, qid, title, column, dept, stage, sha, updated sql.NullString
	var version sql.NullInt64
	err = s.reads.QueryRowContext(ctx, `SELECT i.detail, q.item_id, q.title, q.column_name, q.department, q.stage, q.version, q.sha256, q.updated_at
		FROM (SELECT ? AS id) k LEFT JOIN items i ON i.id = k.id LEFT JOIN queue q ON q.item_id = k.id`, id).
		Scan(&detail, &qid, &title, &column, &dept, &stage, &version, &sha, &updated)
	if err != nil {
		return review.Item{}, nil, QueueItem{}, false, fmt.Errorf("read item %s: %w", id, err)
	}
	if detail.Valid {
		if jerr := json.Unmarshal([]byte(detail.String), &it); jerr != nil {
			derr = fmt.Errorf("read item %s: %w", id, jerr)
		}
	} else {
		derr = fmt.Errorf("item %s: %w", id, ErrNotCached)
	}
	if qid.Valid {
		q = QueueItem{ID: qid.String, Title: title.String, Column: column.String, Department: dept.String,
			Stage: review.Stage(stage.String), Version: int(version.Int64), SHA256: sha.String, UpdatedAt: parseTime(updated.String)}
	}
	return it, derr, q, qid.Valid, nil
}

// saveItem stores an item (and its events when not nil), keeping cached bodies
// of versions whose hash did not change.
func (s *store) saveItem(ctx context.Context, it review.Item, events []review.Event, now time.Time) error {
	return s.relaxedTx(ctx, func(ctx context.Context, tx *writeTx) error {
		if err := saveItemRowTx(ctx, tx, it, now, false); err != nil {
			return err
		}
		return saveVersionsAndEventsTx(ctx, tx, it, events)
	})
}

// saveItemRowTx stores the item's own row (its detail JSON included),
// leaving its versions and events as they are; stale asks the next sync to
// fetch it again.
func saveItemRowTx(ctx context.Context, tx *writeTx, it review.Item, now time.Time, stale bool) error {
	detail, err := json.Marshal(it)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO items (id, title, column_name, department, submitter, stage, status, disclosure, repost_from, detail, updated_at, fetched_at, stale)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, column_name = excluded.column_name, department = excluded.department,
			submitter = excluded.submitter, stage = excluded.stage, status = excluded.status, disclosure = excluded.disclosure,
			repost_from = excluded.repost_from, detail = excluded.detail, updated_at = excluded.updated_at,
			fetched_at = excluded.fetched_at, stale = excluded.stale`,
		it.ID, it.Title, it.Column, it.Department, it.Submitter, string(it.Stage), string(it.Status), string(it.Disclosure),
		it.RepostFrom, string(detail), timeText(it.UpdatedAt), timeText(now), stale)
	if err != nil {
		return fmt.Errorf("store item %s: %w", it.ID, err)
	}
	return nil
}

// saveVersionsAndEventsTx stores an item's versions (keeping cached bodies)
// and, when events is not nil, replaces its events.
func saveVersionsAndEventsTx(ctx context.Context, tx *writeTx, it review.Item, events []review.Event) error {
	// A version's number and hash never change on the server; if they
	// differ here the cached body is not this version's and goes.
	if _, err := tx.ExecContext(ctx, "DELETE FROM versions WHERE item_id = ? AND number > ?", it.ID, len(it.Versions)); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO versions (item_id, number, sha256, kind, author, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (item_id, number) DO UPDATE SET kind = excluded.kind, author = excluded.author, created_at = excluded.created_at,
			title = CASE WHEN versions.sha256 = excluded.sha256 THEN versions.title END,
			body = CASE WHEN versions.sha256 = excluded.sha256 THEN versions.body END,
			content_type = CASE WHEN versions.sha256 = excluded.sha256 THEN versions.content_type END,
			sha256 = excluded.sha256`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, v := range it.Versions {
		if _, err := st.ExecContext(ctx, it.ID, v.Number, v.SHA256, string(v.Kind), v.Author, timeText(v.CreatedAt)); err != nil {
			return fmt.Errorf("store version %d of %s: %w", v.Number, it.ID, err)
		}
	}
	if events == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM events WHERE item_id = ?", it.ID); err != nil {
		return err
	}
	return appendEventsTx(ctx, tx, it.ID, events)
}

// appendEventsTx adds events to an item's cached trail (those it has stay).
func appendEventsTx(ctx context.Context, tx *writeTx, itemID string, events []review.Event) error {
	if len(events) == 0 {
		return nil
	}
	ev, err := tx.PrepareContext(ctx, `INSERT INTO events (item_id, seq, at, actor, system, kind, stage, version, sha256, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id, seq) DO NOTHING`)
	if err != nil {
		return err
	}
	defer ev.Close()
	for _, e := range events {
		if _, err := ev.ExecContext(ctx, itemID, e.Seq, timeText(e.At), e.Actor, e.System, string(e.Kind), string(e.Stage), e.Version, e.SHA256, e.Detail); err != nil {
			return fmt.Errorf("store event %d of %s: %w", e.Seq, itemID, err)
		}
	}
	return nil
}

// markStale asks the next sync to fetch an item again.
func (s *store) markStale(ctx context.Context, itemID string) error {
	return s.relaxedTx(ctx, func(ctx context.Context, tx *writeTx) error {
		_, err := tx.ExecContext(ctx, "UPDATE items SET stale = 1 WHERE id = ?", itemID)
		return err
	})
}

// itemsToFetch returns the ids of items the cache should fetch: queued items
// not cached or changed since they were fetched, and stale items.
func (s *store) itemsToFetch(ctx context.Context) ([]string, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT q.item_id FROM queue q LEFT JOIN items i ON i.id = q.item_id
			WHERE i.id IS NULL OR i.updated_at <> q.updated_at OR i.stale = 1
		UNION SELECT id FROM items WHERE stale = 1`)
	if err != nil {
		return nil, fmt.Errorf("list items to fetch: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// versionRef names one version of one item.
type versionRef struct {
	itemID string
	number int
}

// bodiesToFetch returns versions of queued items whose body is not cached.
func (s *store) bodiesToFetch(ctx context.Context) ([]versionRef, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT v.item_id, v.number FROM versions v JOIN queue q ON q.item_id = v.item_id
		WHERE v.body IS NULL ORDER BY v.item_id, v.number DESC`)
	if err != nil {
		return nil, fmt.Errorf("list bodies to fetch: %w", err)
	}
	defer rows.Close()
	var out []versionRef
	for rows.Next() {
		var r versionRef
		if err := rows.Scan(&r.itemID, &r.number); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// loadItem returns a cached item with its events, bodies present and outbox.
func (s *store) loadItem(ctx context.Context, id string) (ItemDetail, error) {
	var detail, fetched string
	var stale bool
	err := s.reads.QueryRowContext(ctx, "SELECT detail, fetched_at, stale FROM items WHERE id = ?", id).Scan(&detail, &fetched, &stale)
	if errors.Is(err, sql.ErrNoRows) {
		return ItemDetail{}, fmt.Errorf("item %s: %w", id, ErrNotCached)
	}
	if err != nil {
		return ItemDetail{}, fmt.Errorf("read item %s: %w", id, err)
	}
	var d ItemDetail
	if err := json.Unmarshal([]byte(detail), &d.Item); err != nil {
		return ItemDetail{}, fmt.Errorf("read item %s: %w", id, err)
	}
	d.FetchedAt, d.Stale = parseTime(fetched), stale
	rows, err := s.reads.QueryContext(ctx, "SELECT number FROM versions WHERE item_id = ? AND body IS NOT NULL ORDER BY number", id)
	if err != nil {
		return ItemDetail{}, err
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return ItemDetail{}, err
		}
		d.CachedBodies = append(d.CachedBodies, n)
	}
	rows.Close()
	if d.Events, err = s.loadEvents(ctx, id); err != nil {
		return ItemDetail{}, err
	}
	if d.Outbox, err = s.listOutbox(ctx, id); err != nil {
		return ItemDetail{}, err
	}
	return d, nil
}

func (s *store) loadEvents(ctx context.Context, id string) ([]review.Event, error) {
	rows, err := s.reads.QueryContext(ctx, "SELECT seq, at, actor, system, kind, stage, version, sha256, detail FROM events WHERE item_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", id, err)
	}
	defer rows.Close()
	var out []review.Event
	for rows.Next() {
		var e review.Event
		var at, kind, stage string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.System, &kind, &stage, &e.Version, &e.SHA256, &e.Detail); err != nil {
			return nil, err
		}
		e.At, e.Kind, e.Stage = parseTime(at), review.EventKind(kind), review.Stage(stage)
		out = append(out, e)
	}
	return out, rows.Err()
}

// saveBody stores a version's body; the version's metadata must be cached
// with the same hash.
func (s *store) saveBody(ctx context.Context, itemID string, v VersionBody) error {
	return s.relaxedTx(ctx, func(ctx context.Context, tx *writeTx) error {
		res, err := tx.ExecContext(ctx, "UPDATE versions SET title = ?, body = ?, content_type = ? WHERE item_id = ? AND number = ? AND sha256 = ?",
			v.Title, v.Body, v.ContentType, itemID, v.Number, v.SHA256)
		if err != nil {
			return fmt.Errorf("store body of %s v%d: %w", itemID, v.Number, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store body of %s v%d: the cached item does not list this version with hash %.12s", itemID, v.Number, v.SHA256)
		}
		return nil
	})
}

// loadBody returns a cached body; ok is false when it is not cached.
func (s *store) loadBody(ctx context.Context, itemID string, n int) (v VersionBody, ok bool, err error) {
	var title, body, ct sql.NullString
	err = s.reads.QueryRowContext(ctx, "SELECT number, sha256, title, body, content_type FROM versions WHERE item_id = ? AND number = ?", itemID, n).
		Scan(&v.Number, &v.SHA256, &title, &body, &ct)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !body.Valid {
		return VersionBody{}, false, nil
	}
	if err != nil {
		return VersionBody{}, false, fmt.Errorf("read body of %s v%d: %w", itemID, n, err)
	}
	v.Title, v.Body, v.ContentType = title.String, body.String, ct.String
	return v, true, nil
}

func (s *store) queueLen(ctx context.Context) (int, error) {
	var n int
	err := s.reads.QueryRowContext(ctx, "SELECT COUNT(*) FROM queue").Scan(&n)
	return n, err
}

// pruneItems deletes cached items (with their versions and events) that left
// the queue, were fetched before cutoff and have no open decision here.
func (s *store) pruneItems(ctx context.Context, cutoff time.Time) (int, error) {
	var n int64
	err := s.relaxedTx(ctx, func(ctx context.Context, tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM items WHERE fetched_at < ?
			AND id NOT IN (SELECT item_id FROM queue)
			AND id NOT IN (SELECT item_id FROM outbox WHERE state = 'pending' OR (state IN ('conflict', 'rejected') AND superseded_by = ''))`,
			timeText(cutoff))
		if err != nil {
			return fmt.Errorf("prune cache: %w", err)
		}
		n, _ = res.RowsAffected()
		// Sent decisions are history: kept as long as items are.
		_, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE state = 'sent' AND sent_at < ?`, timeText(cutoff))
		return err
	})
	return int(n), err
}
