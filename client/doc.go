// Package client talks to the Sanshen review server and keeps the reviewer's
// work safe on the local machine: the API client, the SQLite cache, the
// durable outbox of decisions and the sync loop. It knows nothing of Fyne.
//
// # Sessions
//
// A Session is one signed-in reviewer on one server with a local cache. Get
// one with Login (password, once) or Open (the sign-in saved by an earlier
// Login in the config directory, without asking the server, so it works
// offline); ErrNoSession means nobody is signed in there. Close it when done.
//
//	s, err := client.Open(ctx, client.Options{})              // or client.Login(ctx, opts, url, user, password)
//	defer s.Close()
//	s.Start(ctx)                                               // background sync: at once, then every SyncInterval
//	cancel := s.Subscribe(func(st client.SyncState) { … })     // from a background goroutine: wrap in fyne.Do
//
// The config directory (Options.Dir, default os.UserConfigDir()/sanshen) is
// made 0700. It holds session.json (server, user, bearer token; 0600) and one
// cache file per server and user (CacheFileName; 0600, with its -wal and -shm
// files). Logout forgets the sign-in and deletes the cache, unless asked to
// keep it; it refuses (ErrPendingDecisions) to delete decisions never sent.
//
// # Reading: always from the cache
//
// Queue, Item, Draft and Outbox read the cache and never wait for the
// network; a queue of 10,000 items reads in well under a second. Item
// returns ErrNotCached for an item never fetched: FetchItem fetches it (and
// its current body), falling back to the cached copy offline. Body returns a
// version's body from the cache, fetching it when missing; every body is
// checked against its SHA-256 before it is stored, so what the reviewer
// reads is what the decision names.
//
// # Deciding: the outbox
//
// Decide commits the decision to the outbox in one SQLite transaction with
// synchronous=FULL before any network I/O, then sends it once. The returned
// OutboxEntry says what happened:
//
//   - OutboxSent: the server has it (201, or 200 when it had it already).
//   - OutboxPending: not sent (offline, or the token expired: State().NeedSignIn);
//     the next sync sends it, also after the app restarts.
//   - OutboxConflict (409): the item moved on. The decision and its comments
//     are kept, the item is refreshed, and a Draft on the new current version
//     is made from it (Draft.FromDecision) so the reviewer can redo it.
//   - OutboxRejected (403, 422, 404…): refused for good; Message is the
//     server's text (Chinese and English).
//
// Decide's error is non-nil only when nothing was committed: the form of the
// decision broke a rule (a *review.RuleError of kind review.KindInvalid from
// review.CheckDecision on the cached item), ErrAlreadyPending, ErrNotCached.
// The decision id (a UUID, made by Decide when empty) is the server's
// idempotency key: a retry after a lost reply never acts twice. A later
// decision on the same item supersedes refused ones (OutboxEntry.SupersededBy).
//
// Drafts (SaveDraft, Draft, DeleteDraft) hold half-made decisions per item
// and version, saved as the reviewer types; deciding deletes the draft of the
// decided version.
//
// # Sync
//
// Sync sends the outbox, pulls the queue (incrementally after the first
// time, with the server's cursor), fetches changed items with their events
// and the bodies the cache lacks (Options.Workers at once; Options.QueueOnly
// skips this), and sends again. Start runs it in the background; SyncNow asks
// for a run at once. SyncState reports Online, NeedSignIn, Syncing with
// Phase and Done/Total, LastSync, Pending, Refused and the last Err.
//
// # Errors
//
// Server refusals are *ServerError (Status, Code, Message, MessageZH) and
// match ErrUnauthorized (401: sign in again), ErrForbidden (403),
// ErrNotFound (404), ErrConflict (409), ErrInvalid (422) with errors.Is, and
// review.ErrForbidden, review.ErrConflict, review.ErrInvalid too. A server
// that cannot be reached (or answers 502/503/504 after the retries) is a
// *NetworkError matching ErrUnreachable; a reply that is not what the API
// promises (not JSON, cut short, wrong types, larger than 32 MiB, a body
// that does not match its hash) is a *ReplyError matching ErrBadReply.
//
// # API
//
// API is the plain HTTP client of /api/v1 on resty: base URL, bearer token,
// connect and per-request timeouts, a custom CA (HTTPConfig.CAFile) or TLS
// config, replies capped at 32 MiB. GETs and decisions (which carry their
// id) are retried on network errors and 502/503/504 with exponential back-off
// and jitter; 4xx never; logins and the creation of items and versions are
// sent once. Every method takes a context first.
package client
