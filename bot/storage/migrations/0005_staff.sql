-- Staff workspace: one-time invitations, each staff member's reception site, and the
-- links a channel opens the bot with (its deep-link form, e.g. https://t.me/<bot>?start=...).

-- An invitation grants a role once. Only the SHA-256 digest of its token is kept: the token
-- itself is shown once to the admin who made it.
CREATE TABLE staff_invitations (
    id               INTEGER PRIMARY KEY,
    token_digest     TEXT NOT NULL UNIQUE,
    role             TEXT NOT NULL CHECK (role IN ('staff', 'leader', 'police', 'admin')),
    site             TEXT,
    created_by       TEXT NOT NULL,  -- channel:user_id of the admin, or cli:<system user>
    created_at       TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    used_at          TEXT,
    used_by_channel  TEXT,
    used_by_user_id  TEXT
);

-- The reception site a person works at; no row: all sites.
CREATE TABLE staff_sites (
    channel      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    site         TEXT NOT NULL,
    assigned_at  TEXT NOT NULL,
    PRIMARY KEY (channel, user_id),
    FOREIGN KEY (channel, user_id) REFERENCES channel_users (channel, user_id)
);

-- Recorded by each channel when it starts; read by the command line, which has no channel.
CREATE TABLE channel_links (
    channel      TEXT PRIMARY KEY,
    account      TEXT NOT NULL,  -- the bot's name on the channel (Telegram: its username)
    start_link   TEXT NOT NULL,  -- a URL with {payload} where the /start argument goes
    recorded_at  TEXT NOT NULL
);
