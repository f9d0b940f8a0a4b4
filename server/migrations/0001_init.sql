-- Sanshen review server, schema version 1.
-- Times are UTC text in the fixed-width form 2006-01-02T15:04:05.000000000Z,
-- so that they sort as text.

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,          -- argon2id, PHC string format
    roles         TEXT NOT NULL,          -- JSON array of review.Role
    department    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,          -- hex SHA-256 of the bearer token
    username   TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX tokens_user ON tokens(username);
CREATE INDEX tokens_expiry ON tokens(expires_at);

-- Columns of the portal (栏目), DESIGN §2.7.
CREATE TABLE columns (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,            -- news, notice, policy, personnel, planning, service, special
    department  TEXT NOT NULL,            -- responsible department (art. 15)
    person      TEXT NOT NULL,            -- responsible person (art. 15)
    update_rule TEXT NOT NULL,            -- weekly, quarterly, half_yearly, timely (art. 12)
    end_date    TEXT NOT NULL DEFAULT '', -- special columns (专题): YYYY-MM-DD, art. 10
    position    INTEGER NOT NULL
) STRICT;

-- One row per item. state is the review.Item as JSON (without bodies); the
-- other columns repeat what the queries need.
CREATE TABLE items (
    id          TEXT PRIMARY KEY,
    column_name TEXT NOT NULL,
    submitter   TEXT NOT NULL,
    stage       TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    change_seq  INTEGER NOT NULL,         -- seq of the item's latest event
    state       TEXT NOT NULL
) STRICT;
CREATE INDEX items_queue ON items(status, stage, updated_at);
CREATE INDEX items_change ON items(change_seq);

-- Versions are immutable: canonical body, its SHA-256.
CREATE TABLE versions (
    item_id      TEXT NOT NULL REFERENCES items(id),
    number       INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    title        TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (item_id, number)
) STRICT;
CREATE TRIGGER versions_immutable BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER versions_kept BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;

-- The append-only audit trail (DESIGN §2.6).
CREATE TABLE events (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL REFERENCES items(id),
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    system  INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    stage   TEXT NOT NULL,
    version INTEGER NOT NULL,
    sha256  TEXT NOT NULL,
    detail  TEXT NOT NULL
) STRICT;
CREATE INDEX events_item ON events(item_id, seq);
CREATE TRIGGER events_append_only BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_kept BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Decisions by their client-made id: the idempotency key. request is the
-- decision as understood (normalised JSON), response the body of the 201.
CREATE TABLE decisions (
    id         TEXT PRIMARY KEY,
    item_id    TEXT NOT NULL REFERENCES items(id),
    username   TEXT NOT NULL,
    request    TEXT NOT NULL,
    response   TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX decisions_item ON decisions(item_id);
