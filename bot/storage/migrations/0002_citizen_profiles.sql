-- The identity a person gave last time, offered for reuse in the next petition or booking.
-- The CCCD number is kept as an HMAC (search, duplicates), a masked form and a sealed
-- (encrypted) form; never in clear.

CREATE TABLE citizen_profiles (
    channel        TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    full_name      TEXT NOT NULL,
    phone_e164     TEXT,
    cccd_digest    TEXT,
    cccd_masked    TEXT,
    cccd_sealed    TEXT,
    address        TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (channel, user_id),
    FOREIGN KEY (channel, user_id) REFERENCES channel_users (channel, user_id)
);
