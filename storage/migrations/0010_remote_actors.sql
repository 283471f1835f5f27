-- Actors on other servers, cached from their documents and refreshed when old
-- or when a signature made with their key fails. raw_json is the document as
-- fetched, kept for debugging; the application reads the columns.
CREATE TABLE remote_actors (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    public_key_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    preferred_username TEXT,
    name TEXT,
    url TEXT,
    icon_url TEXT,
    followers TEXT,
    fetched_at TEXT NOT NULL,
    raw_json TEXT
);

-- Every signed request looks its key up by keyId.
CREATE INDEX remote_actors_public_key_id ON remote_actors (public_key_id);
