-- Petition processing by staff (domain.md §2.2): classification, competence, assignment,
-- the site and source of a petition, cases, internal notes. Column names are a contract:
-- the staff workspace writes them, the reports read them.

ALTER TABLE petitions ADD COLUMN source TEXT NOT NULL DEFAULT 'chat';  -- chat|visit|post|import
ALTER TABLE petitions ADD COLUMN site_id TEXT;
ALTER TABLE petitions ADD COLUMN field TEXT;            -- lĩnh vực (bot.domain petitions)
ALTER TABLE petitions ADD COLUMN eligible INTEGER;      -- đủ điều kiện xử lý: 1, 0, NULL unknown
ALTER TABLE petitions ADD COLUMN ineligible_reason TEXT;
ALTER TABLE petitions ADD COLUMN competence TEXT;       -- ours | not_ours | lower_level | NULL
ALTER TABLE petitions ADD COLUMN chairman_jurisdiction INTEGER NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN case_id INTEGER REFERENCES cases (id);
ALTER TABLE petitions ADD COLUMN assigned_channel TEXT;
ALTER TABLE petitions ADD COLUMN assigned_user_id TEXT;
ALTER TABLE petitions ADD COLUMN classified_at TEXT;
ALTER TABLE petitions ADD COLUMN closed_at TEXT;        -- when it reached a final status
ALTER TABLE petitions ADD COLUMN name_folded TEXT;      -- sender's name without diacritics
ALTER TABLE petitions ADD COLUMN phone_e164 TEXT;       -- sender's phone, for staff search

CREATE INDEX petitions_received ON petitions (received_at);
CREATE INDEX petitions_inbox ON petitions (status, due_on, received_at);
CREATE INDEX petitions_assigned ON petitions (assigned_channel, assigned_user_id, status);
CREATE INDEX petitions_case ON petitions (case_id);
CREATE INDEX petitions_name ON petitions (name_folded);
CREATE INDEX petitions_phone ON petitions (phone_e164);

CREATE TABLE petition_notes (
    id             INTEGER PRIMARY KEY,
    petition_id    INTEGER NOT NULL REFERENCES petitions (id),
    at             TEXT NOT NULL,
    actor_channel  TEXT,
    actor_user_id  TEXT,
    text           TEXT NOT NULL
);

CREATE INDEX petition_notes_petition ON petition_notes (petition_id, id);

-- Added with the petition processing work (issue 5). A denouncer's folded name stays in the
-- protected table, searched only for the roles allowed to see a denouncer's identity.
ALTER TABLE denouncer_identities ADD COLUMN name_folded TEXT;

CREATE INDEX denouncer_identities_name ON denouncer_identities (name_folded);
CREATE INDEX denouncer_identities_phone ON denouncer_identities (phone_e164);
CREATE INDEX bookings_phone ON bookings (phone_e164);
-- The inbox reads open petitions only: a small covering index, whatever the filters.
CREATE INDEX petitions_open ON petitions (due_on, received_at, kind, status, site_id,
                                          place_code, field, closed_at)
    WHERE closed_at IS NULL;
CREATE INDEX petitions_closed ON petitions (closed_at, site_id, kind, place_code, field)
    WHERE closed_at IS NOT NULL;
-- The petitions marked, at submission, as repeats of another (few), for duplicate suggestions.
CREATE INDEX petitions_repeat ON petitions (repeat_of) WHERE repeat_of IS NOT NULL;
-- Duplicate suggestions compare a petition with the recent ones of the same commune.
CREATE INDEX petitions_place ON petitions (place_code, received_at);

-- Petitions stored before this migration: closed ones get their closing time, unprotected
-- senders their search copies (tiepdan_fold is registered by the program's connection).
UPDATE petitions SET closed_at = updated_at
WHERE closed_at IS NULL
  AND status IN ('archived', 'guided', 'feedback_received', 'rejected', 'terminated',
                 'resolved', 'withdrawn', 'merged');
UPDATE petitions
SET name_folded = (SELECT tiepdan_fold(i.full_name) FROM petition_identities i
                   WHERE i.petition_id = petitions.id),
    phone_e164 = (SELECT i.phone_e164 FROM petition_identities i
                  WHERE i.petition_id = petitions.id)
WHERE id IN (SELECT petition_id FROM petition_identities);
UPDATE denouncer_identities SET name_folded = tiepdan_fold(full_name);
-- Forwarded or chased petitions have given the answer owed after receipt: no deadline of the
-- office runs any more (the service clears it on those moves from now on).
UPDATE petitions SET due_rule = NULL, due_rule_from = NULL, due_on = NULL
WHERE status IN ('forwarded', 'chased', 'awaiting_feedback');
