"""fedchapter: the server an activist chapter hosts for itself.

This package is the domain: chapters, members, roles, events, minutes,
proposals and their counting, plus the use cases the web and the inbox share.
It never imports the web framework, the HTTP client, the database driver or
the ActivityPub layer; the CLI (``fedchapter.cli``) is the one place that
wires those together.
"""
