"""Proposals and voting: the model, reading proposals and ballots, the quorum
and threshold rules, and the tally for every method (ranked ballots are
counted by fedchapter.counting). Pure domain code: no I/O."""
