-- Reports for officials: subscriptions to digests, the record of every digest delivered (so
-- that none is sent twice, even across restarts), deadline alerts already raised, and the
-- indexes the statistical summary reads (one range scan per table, no row lookups).

-- Subscriptions made in chat. A row with active = 0 is an opt-out from a subscription the
-- configuration gives (by role or by person); configured subscriptions are not copied here.
CREATE TABLE report_subscriptions (
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('morning', 'weekly', 'monthly', 'period')),
    active      INTEGER NOT NULL CHECK (active IN (0, 1)),
    when_empty  TEXT NOT NULL DEFAULT 'say_once' CHECK (when_empty IN ('say_once', 'skip')),
    site_id     TEXT,                     -- NULL: the person's own site, or the province
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (channel, user_id, kind),
    FOREIGN KEY (channel, user_id) REFERENCES channel_users (channel, user_id)
);

-- One row per digest and recipient: written in the same transaction as its outbox row.
-- status: sent (a digest with news), empty_said ("nothing new", said once), skipped_empty.
CREATE TABLE digest_deliveries (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    period_key  TEXT NOT NULL,            -- 2026-11-26, 2026-W48, 2026-M11, 2026-Y1
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    site_id     TEXT,
    status      TEXT NOT NULL CHECK (status IN ('sent', 'empty_said', 'skipped_empty')),
    outbox_id   INTEGER REFERENCES outbox (id),
    created_at  TEXT NOT NULL,
    UNIQUE (kind, period_key, channel, user_id)
);

CREATE INDEX digest_deliveries_person ON digest_deliveries (channel, user_id, kind, id);

-- A deadline alert raised for a petition: once per deadline and stage (soon, today, overdue).
CREATE TABLE petition_deadline_alerts (
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    due_on       TEXT NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('soon', 'today', 'overdue')),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (petition_id, due_on, stage)
);

-- Everything the summary reads of a petition, led by the type and the time of receipt: a
-- window is one index range per type, counted by type without sorting (a covering index).
CREATE INDEX petitions_report ON petitions (
    kind, received_at, site_id, source, status, eligible, competence, chairman_jurisdiction,
    anonymous, is_group, skips_level, prior_stage, case_id, merged_into, due_on,
    classified_at, closed_at, updated_at);
-- The few petitions that share a case (vụ việc): their cases are counted apart.
CREATE INDEX petitions_report_cases ON petitions (
    kind, received_at, site_id, source, eligible, competence, case_id)
    WHERE case_id IS NOT NULL;

-- Not-within-competence outcomes (guided, forwarded, chased, feedback) come from the events:
-- one seek per petition of the window finds its outcome events without reading them.
CREATE INDEX petition_events_outcome ON petition_events (petition_id, to_status, at);

CREATE INDEX visits_report ON visits (
    received_on, site_id, refused, mode, leader_id, is_mass_delegation, people, case_id,
    visit_number);
CREATE INDEX visits_reception_day ON visits (reception_day_id);
