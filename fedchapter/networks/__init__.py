"""Networks of chapters: affiliation, weights and delegates, and decisions
taken by the member chapters together (docs/networks.md)."""
