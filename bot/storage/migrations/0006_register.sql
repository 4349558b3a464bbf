-- The reception register (Sổ tiếp công dân, domain.md §1.4): one row per reception, booked or
-- walk-in, regular or a leader's day, and the cases (vụ việc) that group visits and petitions.
-- Column names below are a contract: the staff workspace writes them, the reports read them.

CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE visits (
    id                   INTEGER PRIMARY KEY,
    site_id              TEXT NOT NULL,
    serial               INTEGER NOT NULL,          -- col 1 STT: per site and calendar year
    received_on          TEXT NOT NULL,             -- col 2 Ngày tiếp: local date YYYY-MM-DD
    received_at          TEXT NOT NULL,             -- UTC time the reception was recorded
    mode                 TEXT NOT NULL CHECK (mode IN ('regular', 'leader')),
    leader_id            TEXT,                      -- [[leaders]] id when mode = 'leader'
    leader_title         TEXT,                      -- as configured then ("Bí thư Tỉnh ủy")
    reception_day_id     INTEGER REFERENCES reception_days (id),
    booking_id           INTEGER REFERENCES bookings (id),
    petition_id          INTEGER REFERENCES petitions (id),
    case_id              INTEGER REFERENCES cases (id),
    visit_number         INTEGER NOT NULL DEFAULT 1 CHECK (visit_number >= 1),  -- 1: first
    people               INTEGER NOT NULL CHECK (people >= 1),  -- col 7
    is_mass_delegation   INTEGER NOT NULL DEFAULT 0 CHECK (is_mass_delegation IN (0, 1)),
    police_coordination  INTEGER NOT NULL DEFAULT 0 CHECK (police_coordination IN (0, 1)),
    full_name            TEXT NOT NULL,             -- col 3 (with address)
    name_folded          TEXT NOT NULL,             -- for search without diacritics
    address              TEXT,
    phone_e164           TEXT,
    cccd_digest          TEXT,                      -- col 4, as HMAC / masked / sealed
    cccd_masked          TEXT,
    cccd_sealed          TEXT,
    summary              TEXT NOT NULL,             -- col 5
    petition_type        TEXT CHECK (petition_type IS NULL OR petition_type IN
                         ('complaint', 'denunciation', 'recommendation', 'report')),  -- col 6
    prior_body           TEXT,                      -- col 8
    within_competence    INTEGER CHECK (within_competence IS NULL
                                        OR within_competence IN (0, 1)),  -- col 9
    guidance             TEXT,                      -- col 10, where the citizen was guided
    guidance_doc_no      TEXT,
    handled_by           TEXT,                      -- col 11, accepting or forwarded-to body
    forward_doc_no       TEXT,
    result_followup      TEXT,                      -- col 12
    notes                TEXT,                      -- col 13
    refused              INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1)),
    refusal_ground       TEXT,
    refusal_doc_no       TEXT,
    recorded_by_channel  TEXT,
    recorded_by_user_id  TEXT,
    source               TEXT NOT NULL DEFAULT 'chat' CHECK (source IN ('chat', 'import')),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (site_id, serial, received_on)
);

CREATE INDEX visits_day ON visits (received_on, site_id);
CREATE INDEX visits_case ON visits (case_id, visit_number);
CREATE INDEX visits_cccd ON visits (cccd_digest);
CREATE INDEX visits_phone ON visits (phone_e164);
CREATE INDEX visits_name ON visits (name_folded);
CREATE INDEX visits_booking ON visits (booking_id);
-- STT runs per site and calendar year: no two rows of one site and year share it.
CREATE UNIQUE INDEX visits_serial ON visits (site_id, substr(received_on, 1, 4), serial);

-- The day's queue reads one site's bookings of one day, whatever the kind of reception.
CREATE INDEX bookings_site_day ON bookings (site_id, starts_at);
