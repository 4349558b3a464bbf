-- Reception bookings: leaders' reception days, bookings, the representatives of mass
-- delegations, and waiting lists. Times are UTC text (database.to_db); local dates of the
-- office's calendar are ISO text (YYYY-MM-DD).

-- A leader's periodic reception day: made from the configured rule (rule_month set, one per
-- leader and month) or added by staff. Offered only once published, and only until closes_on.
CREATE TABLE reception_days (
    id            INTEGER PRIMARY KEY,
    leader_id     TEXT NOT NULL,
    site_id       TEXT NOT NULL,
    day           TEXT NOT NULL,
    rule_month    TEXT,
    closes_on     TEXT NOT NULL,
    capacity      INTEGER NOT NULL CHECK (capacity >= 1),
    status        TEXT NOT NULL DEFAULT 'scheduled'
                  CHECK (status IN ('scheduled', 'postponed', 'cancelled', 'held')),
    published_at  TEXT,
    moved_to      INTEGER REFERENCES reception_days (id),
    note          TEXT,
    created_at    TEXT NOT NULL,
    changed_at    TEXT,
    UNIQUE (leader_id, rule_month)
);

CREATE INDEX reception_days_day ON reception_days (day, status);

-- One booking of one slot. The CCCD number only as digest, masked and sealed forms.
-- A place is held by every booking that is not cancelled.
CREATE TABLE bookings (
    id                      INTEGER PRIMARY KEY,
    code                    TEXT NOT NULL UNIQUE,
    channel                 TEXT NOT NULL,
    user_id                 TEXT NOT NULL,
    kind                    TEXT NOT NULL CHECK (kind IN ('regular', 'leader')),
    site_id                 TEXT NOT NULL,
    reception_day_id        INTEGER REFERENCES reception_days (id),
    starts_at               TEXT NOT NULL,
    ends_at                 TEXT NOT NULL,
    people                  INTEGER NOT NULL CHECK (people >= 1),
    topic                   TEXT NOT NULL,
    petition_code           TEXT,
    commune_code            INTEGER,
    commune_name            TEXT,
    full_name               TEXT NOT NULL,
    phone_e164              TEXT,
    cccd_digest             TEXT,
    cccd_masked             TEXT,
    cccd_sealed             TEXT,
    address                 TEXT,
    status                  TEXT NOT NULL DEFAULT 'booked'
                            CHECK (status IN ('booked', 'arrived', 'being_received', 'done',
                                              'no_show', 'cancelled')),
    cancel_reason           TEXT CHECK (cancel_reason IS NULL
                                        OR cancel_reason IN ('citizen', 'cannot_come',
                                                             'day_cancelled')),
    sequence                INTEGER NOT NULL DEFAULT 0,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    cancelled_at            TEXT,
    confirmed_at            TEXT,
    reminded_day_before_at  TEXT,
    reminded_morning_at     TEXT,
    CHECK ((kind = 'leader') = (reception_day_id IS NOT NULL)),
    FOREIGN KEY (channel, user_id) REFERENCES channel_users (channel, user_id)
);

CREATE INDEX bookings_slot ON bookings (site_id, reception_day_id, starts_at, status);
CREATE INDEX bookings_person ON bookings (channel, user_id, starts_at);
CREATE INDEX bookings_day ON bookings (reception_day_id, status);
CREATE INDEX bookings_upcoming ON bookings (status, starts_at);
CREATE INDEX bookings_cccd ON bookings (cccd_digest);

-- The representatives a mass delegation (đoàn đông người) chose: names and phones only.
CREATE TABLE booking_representatives (
    booking_id  INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    full_name   TEXT NOT NULL,
    phone_e164  TEXT NOT NULL,
    PRIMARY KEY (booking_id, position)
);

-- People waiting for a place on a full slot, first come first offered. A freed place is held
-- for the person offered it until offer_expires_at. ``request`` is the booking to make
-- (JSON; the CCCD only as digest, masked and sealed forms).
CREATE TABLE booking_waitlist (
    id                INTEGER PRIMARY KEY,
    channel           TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('regular', 'leader')),
    site_id           TEXT NOT NULL,
    reception_day_id  INTEGER REFERENCES reception_days (id),
    starts_at         TEXT NOT NULL,
    ends_at           TEXT NOT NULL,
    request           TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'waiting'
                      CHECK (status IN ('waiting', 'offered', 'taken', 'declined', 'expired',
                                        'lapsed')),
    created_at        TEXT NOT NULL,
    offered_at        TEXT,
    offer_expires_at  TEXT,
    booking_id        INTEGER REFERENCES bookings (id),
    closed_at         TEXT,
    FOREIGN KEY (channel, user_id) REFERENCES channel_users (channel, user_id)
);

CREATE INDEX booking_waitlist_slot
    ON booking_waitlist (site_id, reception_day_id, starts_at, status, id);
CREATE INDEX booking_waitlist_offers ON booking_waitlist (status, offer_expires_at);
CREATE INDEX booking_waitlist_person ON booking_waitlist (channel, user_id, status);
