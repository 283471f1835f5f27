-- Who an organiser invited to an event: a local account or a remote actor,
-- by actor id (as RSVPs name participants). An invitation lets its holder
-- join an "invited only" event, and join a "organiser approves" one at once.
CREATE TABLE event_invitations (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    invitee TEXT NOT NULL,
    label TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (event_id, invitee)
);

-- The organiser's page lists the requests waiting for an answer.
CREATE INDEX event_rsvps_pending ON event_rsvps (event_id, pending);
