-- Logged-in browser sessions, kept here so that logging out, a password
-- change or reset and disabling an account end them at once: the cookie only
-- carries a random id, and a copied cookie is worth nothing once its row is gone.
-- Only a SHA-256 hash of the id is stored, as for API tokens.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
