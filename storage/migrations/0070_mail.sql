-- Outgoing mail: one row per message and recipient, the whole message stored
-- (RFC 5322 text), so a restart loses nothing and admins can read the queue.
-- 'sending' rows carry a lease, as deliveries do: a worker that dies mid-send
-- leaves a stale lease, which is queued again.
CREATE TABLE outgoing_mail (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outgoing_mail_due ON outgoing_mail (state, next_try_at);

-- A member's confirmed email address (one per account, one account per
-- address: a password reset must find exactly one account). An address not yet
-- confirmed lives only in its confirmation token below.
CREATE TABLE account_emails (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    address TEXT NOT NULL UNIQUE,
    confirmed_at TEXT NOT NULL
);

-- Single-use tokens sent by mail (password reset, address confirmation,
-- bulletin subscription), stored only as SHA-256 hashes, with an expiry.
CREATE TABLE mail_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'confirm_email', 'subscribe')),
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX mail_tokens_by_user ON mail_tokens (user_id, purpose, created_at);

-- People without an account who subscribed to the bulletin (double opt-in:
-- 'pending' until they follow the link in the confirmation mail).
CREATE TABLE bulletin_subscribers (
    address TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'unsubscribed')),
    created_at TEXT NOT NULL,
    confirmed_at TEXT
);

-- Bulletins: drafted, previewed, then sent once. Sending publishes a public
-- post (the archive page, the federated Article, the Atom feed).
CREATE TABLE bulletins (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'sent')),
    post_id TEXT REFERENCES posts (id) ON DELETE SET NULL,
    recipients INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX bulletins_by_state ON bulletins (state, sent_at);

-- What a member chose to receive, per kind (bulletin, proposal_opened, ...,
-- digest). No row: the kind's default (fedchapter.mail.kinds).
CREATE TABLE mail_preferences (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Notifications already produced, so a sweep repeated (or run by two
-- processes) never mails the same thing twice. Those waiting for a member's
-- daily digest keep their text here until the digest goes out.
CREATE TABLE mail_notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at TEXT NOT NULL,
    digest_state TEXT NOT NULL DEFAULT 'none' CHECK (digest_state IN ('none', 'waiting', 'sent')),
    UNIQUE (user_id, kind, subject_key)
);
CREATE INDEX mail_notifications_digest ON mail_notifications (digest_state, user_id);
