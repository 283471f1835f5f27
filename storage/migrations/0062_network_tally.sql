-- A network's running tally of its member chapters' reports, as the network
-- last sent it in Update(Question) (`fc:tally`, docs/networks.md): kept with
-- the offer on each member chapter, JSON as the API shows it.
ALTER TABLE proposal_offers ADD COLUMN tally TEXT;
