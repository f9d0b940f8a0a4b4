package client

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"sanshen/review"
)

// Queue returns the cached queue, oldest change first. It never touches the
// network.
func (s *Session) Queue(ctx context.Context) ([]QueueEntry, error) {
	return s.store.listQueue(ctx)
}

// Item returns an item from the cache with its events, the versions whose
// body is cached and the decisions made here on it. It returns ErrNotCached
// when the item was never fetched; see FetchItem.
func (s *Session) Item(ctx context.Context, id string) (ItemDetail, error) {
	return s.store.loadItem(ctx, id)
}

// FetchItem fetches an item, its events and its current version's body from
// the server into the cache, then returns it as Item does. Offline it
// returns the cached copy when there is one (with the network error only
// when there is none).
func (s *Session) FetchItem(ctx context.Context, id string) (ItemDetail, error) {
	it, err := s.fetchItem(ctx, id)
	if err != nil {
		if d, lerr := s.store.loadItem(ctx, id); lerr == nil {
			return d, nil
		}
		return ItemDetail{}, err
	}
	d, err := s.store.loadItem(ctx, id)
	if err != nil {
		return ItemDetail{}, err
	}
	cur, ok := it.Current()
	if !ok || slices.Contains(d.CachedBodies, cur.Number) {
		return d, nil
	}
	if _, err := s.fetchBody(ctx, id, cur.Number); err != nil {
		s.opts.Logger.Debug("sanshen: fetch body", "item", id, "err", err)
		return d, nil
	}
	// The current version is the last: CachedBodies stays in order.
	d.CachedBodies = append(d.CachedBodies, cur.Number)
	return d, nil
}

// Body returns the body of version n of an item: from the cache, or fetched
// (and cached) when it is not there. Offline and not cached: ErrNotCached.
func (s *Session) Body(ctx context.Context, itemID string, n int) (VersionBody, error) {
	if v, ok, err := s.store.loadBody(ctx, itemID, n); err != nil || ok {
		return v, err
	}
	if _, err := s.store.loadItem(ctx, itemID); err != nil {
		if _, err := s.fetchItem(ctx, itemID); err != nil {
			return VersionBody{}, notCached(err)
		}
	}
	v, err := s.fetchBody(ctx, itemID, n)
	if err != nil {
		return VersionBody{}, notCached(err)
	}
	return v, nil
}

// notCached explains a network error on something the cache lacks.
func notCached(err error) error {
	if errors.Is(err, ErrUnreachable) {
		return fmt.Errorf("%w: %w", ErrNotCached, err)
	}
	return err
}

// Decide makes a decision on an item. d.ID may be empty (a UUID is made);
// when d.Version is 0 the stage, version and hash are taken from the cached
// item (or queue entry); otherwise they must name the version the reviewer
// saw. The form of the decision is checked locally with review.CheckDecision
// (a *review.RuleError of kind KindInvalid comes back and nothing is
// written); then the decision is committed durably to the outbox before any
// network I/O, and sent once. The returned entry says what happened: sent,
// conflict or rejected (with the server's message), or still pending (offline
// or signed out: it goes with the next sync). The error is non-nil only when
// nothing was committed.
func (s *Session) Decide(ctx context.Context, itemID string, d review.Decision) (OutboxEntry, error) {
	title, err := s.completeDecision(ctx, itemID, &d)
	if err != nil {
		return OutboxEntry{}, err
	}
	e, tally, err := s.store.enqueue(ctx, itemID, title, d, s.opts.Now())
	if err != nil {
		return OutboxEntry{}, err
	}
	s.applyTally(tally)
	// sendOne publishes the counts its outcome leaves.
	sent, err := s.sendOne(ctx, e)
	if err != nil {
		s.opts.Logger.Debug("sanshen: decision queued", "id", e.ID, "err", err)
	}
	return sent, nil
}

// completeDecision fills the id, stage, version and hash of d from the
// cache and checks its form. It returns the item's title.
func (s *Session) completeDecision(ctx context.Context, itemID string, d *review.Decision) (string, error) {
	if d.ID == "" {
		// Version 7: ids in the order they were made, so that the outbox's
		// index here and the decisions' index on the server grow at one
		// end instead of taking a write in a random page per decision.
		id, err := uuid.NewV7()
		if err != nil {
			return "", fmt.Errorf("make a decision id: %w", err)
		}
		d.ID = id.String()
	} else if _, err := uuid.Parse(d.ID); err != nil {
		return "", fmt.Errorf("decision id %q is not a UUID", d.ID)
	}
	detail, derr, q, inQueue, err := s.store.itemAndQueueEntry(ctx, itemID)
	if err != nil {
		return "", err
	}
	if derr != nil && !inQueue {
		return "", fmt.Errorf("item %s: %w", itemID, ErrNotCached)
	}
	title := q.Title
	if derr == nil {
		title = detail.Title
	}
	if d.Version == 0 {
		switch {
		case inQueue && (derr != nil || !q.UpdatedAt.Before(detail.UpdatedAt)):
			d.Stage, d.Version, d.SHA256 = q.Stage, q.Version, q.SHA256
		default:
			cur, ok := detail.Current()
			if !ok {
				return "", fmt.Errorf("item %s has no version", itemID)
			}
			d.Stage, d.Version, d.SHA256 = detail.Stage, cur.Number, cur.SHA256
		}
	} else if d.SHA256 == "" || d.Stage == "" {
		return "", errors.New("a decision that names its version must also name its stage and hash")
	}
	d.Reason = strings.TrimSpace(d.Reason)
	// Check the form locally when the item is cached: what breaks a rule of
	// the decision itself (422) is said at once, offline too. Whether the
	// user may act and whether the version is current is the server's call.
	if derr == nil {
		if err := review.CheckDecision(detail, s.saved.User, *d); err != nil {
			if re, ok := review.AsRuleError(err); ok && re.Kind == review.KindInvalid {
				return "", err
			}
		}
	}
	return title, nil
}

// Outbox returns every decision made here, oldest first.
func (s *Session) Outbox(ctx context.Context) ([]OutboxEntry, error) {
	return s.store.listOutbox(ctx, "")
}

// OutboxEntry returns one decision made here.
func (s *Session) OutboxEntry(ctx context.Context, id string) (OutboxEntry, error) {
	return s.store.outboxEntry(ctx, id)
}

// SaveDraft saves a half-made decision (item and version required).
func (s *Session) SaveDraft(ctx context.Context, d Draft) error {
	d.UpdatedAt = s.opts.Now()
	return s.store.saveDraft(ctx, d, false)
}

// Draft returns the draft saved for a version of an item; ok is false when none.
func (s *Session) Draft(ctx context.Context, itemID string, version int) (d Draft, ok bool, err error) {
	return s.store.loadDraft(ctx, itemID, version)
}

// DeleteDraft forgets a draft. Deciding deletes the draft of the decided version.
func (s *Session) DeleteDraft(ctx context.Context, itemID string, version int) error {
	return s.store.deleteDraft(ctx, itemID, version)
}
