"""Starlette: the app factory, content negotiation, the ActivityPub and HTML
routes, the JSON API. Nothing imports ``web``."""
