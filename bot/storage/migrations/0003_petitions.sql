-- Petitions submitted in chat, their status history, files and the people named in them.
-- Times are UTC text (database.to_db); days (deadlines, documents) are YYYY-MM-DD.
-- The sender's identity is kept apart from the petition: a denouncer's in its own tables
-- (denouncer_*), read only through the service that checks the role and audits each view.
-- A CCCD number is kept only as an HMAC, a masked form and a sealed (encrypted) form.

CREATE TABLE petitions (
    id                    INTEGER PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL
                          CHECK (kind IN ('complaint', 'denunciation', 'recommendation',
                                          'report')),
    status                TEXT NOT NULL,
    channel               TEXT,  -- the account that filed it (none: filed at the office)
    user_id               TEXT,
    received_at           TEXT NOT NULL,  -- the message's own time: the legal time of receipt
    respondent            TEXT NOT NULL,
    place_code            INTEGER,        -- commune-level unit code (vietnam-provinces)
    place_text            TEXT,           -- an old address, when no current unit fits
    content               TEXT NOT NULL,
    request               TEXT NOT NULL,
    prior_stage           TEXT NOT NULL CHECK (prior_stage IN ('none', 'first', 'second',
                                                                'court')),
    prior_body            TEXT,
    people                INTEGER NOT NULL CHECK (people >= 1),
    is_group              INTEGER NOT NULL CHECK (is_group IN (0, 1)),
    anonymous             INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    skips_level           INTEGER NOT NULL CHECK (skips_level IN (0, 1)),
    mixed                 INTEGER NOT NULL CHECK (mixed IN (0, 1)),
    denunciation_content  INTEGER NOT NULL CHECK (denunciation_content IN (0, 1)),
    lookup_digest         TEXT,           -- HMAC of the phone's last four digits
    due_rule              TEXT,           -- the legal rule (key and version) of the deadline
    due_rule_from         TEXT,
    due_on                TEXT,
    related_code          TEXT,           -- the other petition of a mixed pair
    merged_into           INTEGER REFERENCES petitions (id),
    repeat_of             INTEGER REFERENCES petitions (id),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    FOREIGN KEY (channel, user_id) REFERENCES channel_users (channel, user_id)
);

CREATE INDEX petitions_filer ON petitions (channel, user_id, received_at);
CREATE INDEX petitions_status ON petitions (status, due_on);

CREATE TABLE petition_identities (
    petition_id  INTEGER PRIMARY KEY REFERENCES petitions (id),
    full_name    TEXT NOT NULL,
    phone_e164   TEXT,
    cccd_digest  TEXT,
    cccd_masked  TEXT,
    cccd_sealed  TEXT,
    address      TEXT
);

CREATE INDEX petition_identities_cccd ON petition_identities (cccd_digest);

CREATE TABLE denouncer_identities (
    petition_id  INTEGER PRIMARY KEY REFERENCES petitions (id),
    full_name    TEXT NOT NULL,
    phone_e164   TEXT,
    cccd_digest  TEXT,
    cccd_masked  TEXT,
    cccd_sealed  TEXT,
    address      TEXT
);

CREATE INDEX denouncer_identities_cccd ON denouncer_identities (cccd_digest);

CREATE TABLE petition_representatives (
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    position     INTEGER NOT NULL,
    full_name    TEXT NOT NULL,
    phone_e164   TEXT NOT NULL,
    PRIMARY KEY (petition_id, position)
);

CREATE TABLE denouncer_representatives (
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    position     INTEGER NOT NULL,
    full_name    TEXT NOT NULL,
    phone_e164   TEXT NOT NULL,
    PRIMARY KEY (petition_id, position)
);

CREATE TABLE petition_files (
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    file_id      TEXT NOT NULL,  -- the channel's own file id (Telegram's stays valid)
    channel      TEXT NOT NULL,
    file_name    TEXT,
    mime_type    TEXT,
    size         INTEGER,
    PRIMARY KEY (petition_id, position)
);

-- Every status change: who, when, from, to, the note, the document and the deadline set.
CREATE TABLE petition_events (
    id              INTEGER PRIMARY KEY,
    petition_id     INTEGER NOT NULL REFERENCES petitions (id),
    at              TEXT NOT NULL,
    actor_channel   TEXT,
    actor_user_id   TEXT,
    actor_role      TEXT,
    from_status     TEXT,
    to_status       TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    document_no     TEXT,
    document_date   TEXT,
    agency          TEXT,
    due_rule        TEXT,
    due_rule_from   TEXT,
    due_on          TEXT
);

CREATE INDEX petition_events_petition ON petition_events (petition_id, id);

-- Wrong answers to the phone check of a lookup from another account, to slow guessing.
CREATE TABLE petition_lookup_failures (
    id       INTEGER PRIMARY KEY,
    channel  TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    at       TEXT NOT NULL
);

CREATE INDEX petition_lookup_failures_user ON petition_lookup_failures (channel, user_id, at);
