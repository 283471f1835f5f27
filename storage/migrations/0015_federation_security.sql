-- The signature scheme each server last accepted ('cavage' or 'rfc9421'),
-- so deliveries sign the way it wants first ("double-knocking"); NULL: not
-- known yet, draft-cavage first.
ALTER TABLE delivery_hosts ADD COLUMN signature_scheme TEXT
    CHECK (signature_scheme IS NULL OR signature_scheme IN ('cavage', 'rfc9421'));

-- Who holds a lease ("hostname:pid"), so a worker starting on the same host
-- can take back at once the rows of a process that no longer exists (after a
-- kill -9) instead of waiting for the lease to run out.
ALTER TABLE deliveries ADD COLUMN leased_by TEXT;
ALTER TABLE inbox ADD COLUMN leased_by TEXT;
