-- Foundation: channel users, consent records, conversation state, drafts,
-- processed updates, audit log and outbox. All times are UTC text (see database.to_db).

CREATE TABLE channel_users (
    channel       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    chat_id       TEXT NOT NULL,
    language      TEXT,
    role          TEXT NOT NULL DEFAULT 'citizen'
                  CHECK (role IN ('citizen', 'staff', 'leader', 'police', 'admin')),
    display_name  TEXT,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);

CREATE INDEX channel_users_role ON channel_users (role);

-- Append-only: the current consent for a purpose is the latest row.
CREATE TABLE consents (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    granted         INTEGER NOT NULL CHECK (granted IN (0, 1)),
    notice_version  TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    FOREIGN KEY (channel, user_id) REFERENCES channel_users (channel, user_id)
);

CREATE INDEX consents_user ON consents (channel, user_id, purpose, id);

CREATE TABLE conversations (
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    flow        TEXT NOT NULL,
    step        TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',
    prompt      TEXT,
    version     INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);

-- A flow left half-way (the person went to the menu) waits here to be continued.
CREATE TABLE drafts (
    channel   TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    flow      TEXT NOT NULL,
    step      TEXT NOT NULL,
    data      TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    PRIMARY KEY (channel, user_id, flow)
);

CREATE TABLE processed_updates (
    channel       TEXT NOT NULL,
    update_id     TEXT NOT NULL,
    processed_at  TEXT NOT NULL,
    PRIMARY KEY (channel, update_id)
) WITHOUT ROWID;

CREATE INDEX processed_updates_at ON processed_updates (processed_at);

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    actor_channel  TEXT,
    actor_user_id  TEXT,
    actor_role     TEXT,
    action         TEXT NOT NULL,
    subject        TEXT,
    detail         TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_action ON audit_log (action, at);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    channel          TEXT NOT NULL,
    chat_id          TEXT NOT NULL,
    user_id          TEXT,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL,
    dedupe_key       TEXT UNIQUE,
    created_at       TEXT NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sent', 'failed')),
    last_error       TEXT,
    sent_at          TEXT
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
