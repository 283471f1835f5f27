-- Pictures and documents (docs/media.md): one row per upload or cached remote
-- file. The bytes live in the media store (a folder in the data folder),
-- under "<id>/<variant>"; `variants` lists them ("320.jpg,640.jpg" for an
-- image re-encoded at a few widths, "document.pdf" for a document).
-- `owner_kind`/`owner_id` say what the file belongs to (an event's poster, a
-- post's photo, minutes' documents, a remote reply's attachment): who may
-- see the owner may see the file.
CREATE TABLE media (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('image', 'document')),
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('poster', 'photo', 'document', 'attachment')),
    media_type TEXT NOT NULL,
    name TEXT NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    width INTEGER,
    height INTEGER,
    blurhash TEXT NOT NULL DEFAULT '',
    variants TEXT NOT NULL,
    size INTEGER NOT NULL,
    source_url TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX media_by_owner ON media (owner_kind, owner_id, created_at);
CREATE INDEX media_by_source ON media (source_url);
