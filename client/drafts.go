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

// Draft is a half-made decision on one version of an item, saved as the
// reviewer types so that closing the app loses nothing. Every field may be
// empty.
type Draft struct {
	ItemID     string             `json:"item_id"`
	Version    int                `json:"version"`
	Action     review.Action      `json:"action,omitempty"`
	Verdicts   review.Verdicts    `json:"verdicts,omitempty"`
	Disclosure review.Disclosure  `json:"disclosure,omitempty"`
	Reason     string             `json:"reason,omitempty"`
	Dismissals []review.Dismissal `json:"dismissals,omitempty"`
	// FromDecision is the id of a refused decision this draft was made from
	// (after a conflict), so the screen can say so.
	FromDecision string    `json:"from_decision,omitempty"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Decision turns a draft into a decision on the same version (without id,
// stage or hash: Session.Decide fills them).
func (d Draft) Decision() review.Decision {
	return review.Decision{Version: d.Version, Action: d.Action, Verdicts: d.Verdicts, Disclosure: d.Disclosure,
		Reason: d.Reason, Dismissals: d.Dismissals}
}

func (s *store) saveDraft(ctx context.Context, d Draft, onlyIfAbsent bool) error {
	if d.ItemID == "" || d.Version < 1 {
		return errors.New("a draft needs an item and a version")
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	q := `INSERT INTO drafts (item_id, version, draft, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (item_id, version) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at`
	if onlyIfAbsent {
		q = `INSERT INTO drafts (item_id, version, draft, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (item_id, version) DO NOTHING`
	}
	return s.tx(ctx, func(ctx context.Context, tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, q, d.ItemID, d.Version, string(b), timeText(d.UpdatedAt)); err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
		return nil
	})
}

func (s *store) loadDraft(ctx context.Context, itemID string, version int) (Draft, bool, error) {
	var b string
	err := s.reads.QueryRowContext(ctx, "SELECT draft FROM drafts WHERE item_id = ? AND version = ?", itemID, version).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return Draft{}, false, nil
	}
	if err != nil {
		return Draft{}, false, fmt.Errorf("read draft: %w", err)
	}
	var d Draft
	if err := json.Unmarshal([]byte(b), &d); err != nil {
		return Draft{}, false, fmt.Errorf("read draft: %w", err)
	}
	return d, true, nil
}

func (s *store) deleteDraft(ctx context.Context, itemID string, version int) error {
	return s.tx(ctx, func(ctx context.Context, tx *writeTx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM drafts WHERE item_id = ? AND version = ?", itemID, version)
		return err
	})
}
