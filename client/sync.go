package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"sanshen/review"
)

// SyncPhase names what a sync is doing.
type SyncPhase string

// Sync phases, in order.
const (
	PhaseIdle    SyncPhase = ""
	PhaseSending SyncPhase = "sending" // sending the outbox
	PhaseQueue   SyncPhase = "queue"   // pulling the queue
	PhaseItems   SyncPhase = "items"   // fetching changed items and their events
	PhaseBodies  SyncPhase = "bodies"  // fetching missing version bodies
)

// SyncState is what the screen shows about the connection and the outbox.
type SyncState struct {
	Online      bool      // the last request reached the server
	NeedSignIn  bool      // the server refused the token: sign in again
	Syncing     bool      // a sync is running
	Phase       SyncPhase // what it is doing
	Done, Total int       // progress within the phase
	LastSync    time.Time // end of the last complete sync (zero: never)
	LastAttempt time.Time // start of the last sync
	Pending     int       // decisions waiting to be sent
	Refused     int       // decisions refused (conflict, rejected) and not yet redone
	Err         error     // why the last sync or send failed; nil after a success
}

// State returns the current sync state.
func (s *Session) State() SyncState {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	return s.state
}

// Subscribe calls fn with the sync state whenever it changes, from a
// background goroutine (a GUI must hand it to its own thread, e.g. fyne.Do).
// Calls are in order; rapid changes may be folded into one, the last state is
// always delivered. fn is called once at once with the current state. cancel
// stops the calls.
func (s *Session) Subscribe(fn func(SyncState)) (cancel func()) {
	s.stateMu.Lock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = fn
	s.stateMu.Unlock()
	s.wake()
	return func() {
		s.stateMu.Lock()
		delete(s.subs, id)
		s.stateMu.Unlock()
	}
}

// update changes the state under the lock and wakes the dispatcher.
func (s *Session) update(fn func(st *SyncState)) {
	s.stateMu.Lock()
	fn(&s.state)
	s.stateMu.Unlock()
	s.wake()
}

func (s *Session) wake() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// dispatch delivers the latest state to the subscribers, one call at a time.
func (s *Session) dispatch() {
	defer s.done.Done()
	for {
		select {
		case <-s.stop:
			return
		case <-s.notify:
		}
		s.stateMu.Lock()
		st := s.state
		fns := make([]func(SyncState), 0, len(s.subs))
		for _, fn := range s.subs {
			fns = append(fns, fn)
		}
		s.stateMu.Unlock()
		for _, fn := range fns {
			fn(st)
		}
	}
}

// noteResult records what a request told about the connection.
func (s *Session) noteResult(err error) {
	s.update(func(st *SyncState) {
		switch {
		case err == nil:
			st.Online, st.NeedSignIn = true, false
		case errors.Is(err, ErrUnauthorized):
			st.Online, st.NeedSignIn = true, true
		case errors.Is(err, ErrUnreachable):
			st.Online = false
		default:
			var se *ServerError
			if errors.As(err, &se) {
				st.Online = true
			}
		}
	})
}

// applyTally publishes the counts a write left, unless a later write's
// counts are already out.
func (s *Session) applyTally(t outboxTally) {
	s.stateMu.Lock()
	if t.seq <= s.tallySeen {
		s.stateMu.Unlock()
		return
	}
	s.tallySeen = t.seq
	s.state.Pending, s.state.Refused = t.pending, t.refused
	s.stateMu.Unlock()
	s.wake()
}

// Start runs the background sync: at once (which sends what the outbox
// kept from before), then every SyncInterval and whenever SyncNow is called,
// until ctx ends or the session is closed.
func (s *Session) Start(ctx context.Context) {
	s.stateMu.Lock()
	if s.started || s.closed {
		s.stateMu.Unlock()
		return
	}
	s.started = true
	s.done.Add(1)
	s.stateMu.Unlock()
	go func() {
		defer s.done.Done()
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-s.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		t := time.NewTicker(s.opts.SyncInterval)
		defer t.Stop()
		for {
			if _, err := s.Sync(ctx); err != nil && ctx.Err() == nil {
				s.opts.Logger.Debug("sanshen: background sync", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-s.syncReq:
			}
		}
	}()
}

// SyncNow asks the background sync (see Start) to run at once; it does not wait.
func (s *Session) SyncNow() {
	select {
	case s.syncReq <- struct{}{}:
	default:
	}
}

// SyncReport says what one sync did.
type SyncReport struct {
	Full      bool // the whole queue was pulled (no cursor yet)
	Queue     int  // entries in the queue afterwards
	Changed   int  // queue entries added or changed
	Removed   int  // queue entries that left the queue
	Fetched   int  // item details fetched
	Bodies    int  // version bodies fetched
	Send      SendReport
	Pending   int // decisions still waiting to be sent
	Refused   int // decisions refused and not redone
	Duration  time.Duration
	FetchErrs int // items or bodies that could not be fetched (the sync goes on)
	Pruned    int // items dropped from the cache (out of the queue for KeepItems)
}

// SendReport says what sending the outbox did.
type SendReport struct {
	Sent      int // accepted by the server
	Conflicts int // refused with 409
	Rejected  int // refused for good
	Pending   int // still pending (network, sign-in)
}

// Sync sends the outbox, pulls the queue (incrementally once it has a
// cursor), fetches items that changed and the bodies the cache lacks, and
// sends again whatever was decided meanwhile. It stops at the first error
// that means the server cannot be used (offline, signed out); an item that
// cannot be fetched is skipped and counted. Only one sync runs at a time.
func (s *Session) Sync(ctx context.Context) (SyncReport, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	start := s.opts.Now()
	s.update(func(st *SyncState) {
		st.Syncing, st.Phase, st.Done, st.Total, st.LastAttempt = true, PhaseSending, 0, 0, start
	})
	rep, err := s.sync(ctx)
	rep.Duration = s.opts.Now().Sub(start)
	pending, refused, cerr := s.store.outboxCounts(context.WithoutCancel(ctx))
	if cerr == nil {
		rep.Pending, rep.Refused = pending, refused
	}
	// The state's counts are not set from this read: every write publishes
	// its own, in commit order (applyTally), and a decision committed since
	// the read would be overwritten by older counts.
	s.update(func(st *SyncState) {
		st.Syncing, st.Phase, st.Done, st.Total = false, PhaseIdle, 0, 0
		st.Err = err
		if err == nil {
			st.LastSync = s.opts.Now()
		}
	})
	return rep, err
}

func (s *Session) sync(ctx context.Context) (SyncReport, error) {
	var rep SyncReport
	send, err := s.SendOutbox(ctx)
	rep.Send = send
	if err != nil {
		return rep, err
	}

	s.update(func(st *SyncState) { st.Phase = PhaseQueue })
	if err := s.pullQueue(ctx, &rep); err != nil {
		return rep, err
	}

	if !s.opts.QueueOnly {
		ids, err := s.store.itemsToFetch(ctx)
		if err != nil {
			return rep, err
		}
		err = s.fetchAll(ctx, PhaseItems, len(ids), func(ctx context.Context, i int) error {
			_, err := s.fetchItem(ctx, ids[i])
			return err
		}, &rep.Fetched, &rep.FetchErrs)
		if err != nil {
			return rep, err
		}
		refs, err := s.store.bodiesToFetch(ctx)
		if err != nil {
			return rep, err
		}
		err = s.fetchAll(ctx, PhaseBodies, len(refs), func(ctx context.Context, i int) error {
			_, err := s.fetchBody(ctx, refs[i].itemID, refs[i].number)
			return err
		}, &rep.Bodies, &rep.FetchErrs)
		if err != nil {
			return rep, err
		}
	}

	// Decisions made while the sync ran.
	more, err := s.SendOutbox(ctx)
	rep.Send.Sent += more.Sent
	rep.Send.Conflicts += more.Conflicts
	rep.Send.Rejected += more.Rejected
	rep.Send.Pending = more.Pending
	if err != nil {
		return rep, err
	}
	now := s.opts.Now()
	if rep.Pruned, err = s.store.pruneItems(ctx, now.Add(-KeepItems)); err != nil {
		return rep, err
	}
	err = s.store.relaxedTx(ctx, func(ctx context.Context, tx *writeTx) error { return setMeta(ctx, tx, metaLastSync, timeText(now)) })
	return rep, err
}

// KeepItems is how long an item that left the queue stays in the cache
// (unless a decision made here on it is still open).
const KeepItems = 30 * 24 * time.Hour

// pullQueue pulls the queue: incrementally from the cursor, or whole.
func (s *Session) pullQueue(ctx context.Context, rep *SyncReport) error {
	cursor, err := s.store.getMeta(ctx, metaCursor)
	if err != nil {
		return err
	}
	page, err := s.api.Queue(ctx, Cursor(cursor))
	var se *ServerError
	if cursor != "" && errors.As(err, &se) && (se.Status == http.StatusBadRequest || se.Status == http.StatusGone) {
		// The server no longer knows this cursor: start over.
		cursor = ""
		page, err = s.api.Queue(ctx, "")
	}
	s.noteResult(err)
	if err != nil {
		return fmt.Errorf("pull queue: %w", err)
	}
	if cursor == "" || page.Full {
		rep.Full = true
		rep.Changed = len(page.Items)
		err = s.store.replaceQueue(ctx, page.Items, page.Cursor)
	} else {
		for _, it := range page.Items {
			if it.Removed {
				rep.Removed++
			} else {
				rep.Changed++
			}
		}
		rep.Removed += len(page.RemovedIDs)
		err = s.store.applyQueueChanges(ctx, page.Items, page.RemovedIDs, page.Cursor)
	}
	if err != nil {
		return err
	}
	n, err := s.store.queueLen(ctx)
	rep.Queue = n
	s.update(func(st *SyncState) { st.Done, st.Total = n, n })
	return err
}

// fetchAll runs fetch for 0…n-1 on the session's workers, reporting
// progress. An error that means the server cannot be used stops it; other
// errors are counted in errs.
func (s *Session) fetchAll(ctx context.Context, phase SyncPhase, n int, fetch func(ctx context.Context, i int) error, ok, errs *int) error {
	s.update(func(st *SyncState) { st.Phase, st.Done, st.Total = phase, 0, n })
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	done := 0
	for w := 0; w < min(s.opts.Workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				err := fetch(ctx, i)
				mu.Lock()
				done++
				d := done
				switch {
				case err == nil:
					*ok++
				case fatalForSync(err):
					cancel(err)
				default:
					*errs++
					s.opts.Logger.Debug("sanshen: fetch failed", "phase", phase, "err", err)
				}
				mu.Unlock()
				if d%50 == 0 || d == n {
					s.update(func(st *SyncState) { st.Done = d })
				}
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return ctx.Err()
}

// fatalForSync reports errors after which a sync cannot go on.
func fatalForSync(err error) bool {
	return errors.Is(err, ErrUnreachable) || errors.Is(err, ErrUnauthorized) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// fetchItem fetches an item and its events from the server into the cache.
func (s *Session) fetchItem(ctx context.Context, id string) (review.Item, error) {
	it, err := s.api.Item(ctx, id)
	if err == nil {
		var evs []review.Event
		evs, err = s.api.Events(ctx, id)
		if err == nil {
			if evs == nil {
				evs = []review.Event{}
			}
			err = s.store.saveItem(ctx, it, evs, s.opts.Now())
		}
	}
	s.noteResult(err)
	if err != nil {
		return review.Item{}, fmt.Errorf("fetch item %s: %w", id, err)
	}
	return it, nil
}

// fetchBody fetches one version body into the cache.
func (s *Session) fetchBody(ctx context.Context, id string, n int) (VersionBody, error) {
	v, err := s.api.Version(ctx, id, n)
	s.noteResult(err)
	if err != nil {
		return VersionBody{}, fmt.Errorf("fetch %s version %d: %w", id, n, err)
	}
	if err := s.store.saveBody(ctx, id, v); err != nil {
		return VersionBody{}, err
	}
	return v, nil
}

// SendOutbox sends every pending decision, oldest first. It stops at a
// network error or a refused token (the decisions stay pending); a refusal
// of one decision does not stop the others.
func (s *Session) SendOutbox(ctx context.Context) (SendReport, error) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	var rep SendReport
	entries, err := s.store.pendingOutbox(ctx)
	if err != nil {
		return rep, err
	}
	s.update(func(st *SyncState) { st.Phase, st.Done, st.Total = PhaseSending, 0, len(entries) })
	var stopErr error
	for i, e := range entries {
		if stopErr != nil {
			rep.Pending++
			continue
		}
		e, err := s.sendOne(ctx, e)
		switch e.State {
		case OutboxSent:
			rep.Sent++
		case OutboxConflict:
			rep.Conflicts++
		case OutboxRejected:
			rep.Rejected++
		default:
			rep.Pending++
			if err != nil {
				stopErr = err
			}
		}
		s.update(func(st *SyncState) { st.Done = i + 1 })
	}
	// The counts are published by each write that changed them (applyTally).
	return rep, stopErr
}

// sendOne sends one pending entry and records the outcome. An entry being
// sent by another goroutine is left to it (returned as it is, nil error).
// The returned error is why it is still pending, if it is.
func (s *Session) sendOne(ctx context.Context, e OutboxEntry) (OutboxEntry, error) {
	if !s.claim(e.ID) {
		return e, nil
	}
	defer s.release(e.ID)
	rep, err := s.api.PostDecision(ctx, e.ItemID, e.Decision)
	s.noteResult(err)
	// Record the outcome even if ctx ends now: the server may have acted.
	wctx := context.WithoutCancel(ctx)
	now := s.opts.Now()
	var se *ServerError
	switch {
	case err == nil:
		tally, err := s.store.recordSent(wctx, e, rep, now)
		if err != nil {
			return e, err
		}
		s.applyTally(tally)
		e.State, e.SentAt = OutboxSent, now
	case errors.As(err, &se) && refusedForGood(se.Status):
		state := OutboxRejected
		if se.Status == http.StatusConflict {
			state = OutboxConflict
		}
		tally, err := s.store.markRefused(wctx, e.ID, e.ItemID, state, se, now)
		if err != nil {
			return e, err
		}
		s.applyTally(tally)
		e.State, e.HTTPStatus, e.Code, e.Message = state, se.Status, se.Code, se.Text()
		if state == OutboxConflict {
			s.afterConflict(ctx, e)
		}
	default:
		if err == nil {
			err = errors.New("unknown outcome")
		}
		if merr := s.store.markAttempt(wctx, e.ID, err, now); merr != nil {
			return e, merr
		}
		e.Attempts++
		e.LastError = err.Error()
		return e, err
	}
	e.Attempts++
	return e, nil
}

// claim marks an entry as being sent; false if it already is.
// After Close began, nothing is claimed: the entry stays pending for the
// next session.
func (s *Session) claim(id string) bool {
	s.inflightMu.Lock()
	defer s.inflightMu.Unlock()
	if s.inflight[id] || s.closing {
		return false
	}
	s.inflight[id] = true
	s.sending.Add(1)
	return true
}

func (s *Session) release(id string) {
	s.inflightMu.Lock()
	delete(s.inflight, id)
	s.inflightMu.Unlock()
	s.sending.Done()
}

// refusedForGood reports statuses after which sending again cannot help
// (409 included). 401 (sign in again), 408 and 429 (try later) and 5xx keep
// the decision pending.
func refusedForGood(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return status >= 400 && status < 500
}

// afterConflict refreshes the item a conflicted decision named and keeps what
// the reviewer wrote as a draft on the item's new current version, so it can
// be redone there.
func (s *Session) afterConflict(ctx context.Context, e OutboxEntry) {
	it, err := s.fetchItem(ctx, e.ItemID)
	if err != nil {
		_ = s.store.markStale(context.WithoutCancel(ctx), e.ItemID)
		it2, lerr := s.store.loadItem(context.WithoutCancel(ctx), e.ItemID)
		if lerr != nil {
			return
		}
		it = it2.Item
	}
	cur, ok := it.Current()
	if !ok {
		return
	}
	if _, err := s.fetchBody(ctx, e.ItemID, cur.Number); err != nil {
		s.opts.Logger.Debug("sanshen: body after conflict", "err", err)
	}
	d := Draft{ItemID: e.ItemID, Version: cur.Number, Action: e.Decision.Action, Verdicts: e.Decision.Verdicts,
		Disclosure: e.Decision.Disclosure, Reason: e.Decision.Reason, Dismissals: e.Decision.Dismissals,
		FromDecision: e.ID, UpdatedAt: s.opts.Now()}
	_ = s.store.saveDraft(context.WithoutCancel(ctx), d, true)
}
