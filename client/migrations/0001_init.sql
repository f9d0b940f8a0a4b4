-- The local cache of one reviewer on one server. Times are RFC 3339 in UTC.

-- Key/value facts about the cache: server, user, sync cursor, last sync.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The reviewer's queue as the server last reported it.
CREATE TABLE queue (
    item_id     TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    column_name TEXT NOT NULL,
    department  TEXT NOT NULL,
    stage       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX queue_by_updated ON queue (updated_at, item_id);

-- Items as last fetched. detail is the item as JSON (review.Item: versions,
-- approvals of the current round, secrecy findings…); the columns beside it
-- are for queries. stale marks an item to fetch again at the next sync.
CREATE TABLE items (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL,
    column_name       TEXT NOT NULL,
    department        TEXT NOT NULL,
    submitter         TEXT NOT NULL,
    stage             TEXT NOT NULL,
    status            TEXT NOT NULL,
    disclosure        TEXT NOT NULL,
    repost_from       TEXT NOT NULL,
    detail            TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    fetched_at        TEXT NOT NULL,
    stale             INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Versions of cached items. The body columns stay NULL until the body is fetched.
CREATE TABLE versions (
    item_id      TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    author       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    title        TEXT,
    body         TEXT,
    content_type TEXT,
    PRIMARY KEY (item_id, number)
) STRICT;

-- The audit trail of cached items.
CREATE TABLE events (
    item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    system  INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    stage   TEXT NOT NULL,
    version INTEGER NOT NULL,
    sha256  TEXT NOT NULL,
    detail  TEXT NOT NULL,
    PRIMARY KEY (item_id, seq)
) STRICT;

-- Decisions made on this machine, written before they are sent. Never tied to
-- items by a foreign key: an outbox entry outlives anything else in the cache.
CREATE TABLE outbox (
    id            TEXT PRIMARY KEY,
    item_id       TEXT NOT NULL,
    item_title    TEXT NOT NULL,
    decision      TEXT NOT NULL,
    action        TEXT NOT NULL,
    stage         TEXT NOT NULL,
    version       INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'conflict', 'rejected')),
    http_status   INTEGER NOT NULL DEFAULT 0,
    code          TEXT NOT NULL DEFAULT '',
    message       TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    superseded_by TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    sent_at       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_by_state ON outbox (state);
CREATE INDEX outbox_by_item ON outbox (item_id);

-- Half-made decisions, saved as the reviewer types, one per item and version.
CREATE TABLE drafts (
    item_id    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    draft      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (item_id, version)
) STRICT;
