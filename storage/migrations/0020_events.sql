-- The chapter's events. Times are wall-clock in `timezone` (what the
-- organiser means); start_utc and series_end_utc (NULL for a series without
-- an end) are derived on every save so "upcoming" is a query.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    start_local TEXT NOT NULL,
    end_local TEXT NOT NULL,
    timezone TEXT NOT NULL,
    start_utc TEXT NOT NULL,
    series_end_utc TEXT,
    location TEXT,  -- JSON {name, street, locality, postal_code, country, lat, lon}
    online_url TEXT,
    capacity INTEGER CHECK (capacity IS NULL OR capacity >= 1),
    category TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    rrule TEXT,
    meetup TEXT,  -- JSON {location, start}
    join_mode TEXT NOT NULL CHECK (join_mode IN ('free', 'restricted', 'invite', 'external')),
    external_participation_url TEXT,
    language TEXT NOT NULL,
    author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX events_by_start ON events (start_utc);
CREATE INDEX events_by_end ON events (series_end_utc);

-- One occurrence of a recurring event cancelled or moved (EXDATE / RECURRENCE-ID).
CREATE TABLE event_exceptions (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    original_start TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    start_local TEXT,
    end_local TEXT,
    PRIMARY KEY (event_id, original_start)
);

-- Who is going or interested: a local account or a remote actor, by actor id.
CREATE TABLE event_rsvps (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    participant TEXT NOT NULL,
    username TEXT,
    status TEXT NOT NULL CHECK (status IN ('going', 'interested')),
    pending INTEGER NOT NULL DEFAULT 0,
    join_activity TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (event_id, participant)
);
CREATE INDEX event_rsvps_by_join ON event_rsvps (join_activity);

-- Events of the chapters we follow ("from around the movement"), replaced by
-- their Update, removed by their Delete, dropped once they have ended.
CREATE TABLE remote_events (
    ap_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    chapter TEXT NOT NULL,
    chapter_name TEXT NOT NULL,
    data TEXT NOT NULL,  -- JSON of the parsed event (fedchapter.events.codec)
    content_html TEXT NOT NULL DEFAULT '',
    participant_count INTEGER,
    start_utc TEXT NOT NULL,
    end_utc TEXT,  -- NULL for a series without an end
    timezone TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX remote_events_by_start ON remote_events (start_utc);
CREATE INDEX remote_events_by_chapter ON remote_events (chapter);
