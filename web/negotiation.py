"""Content negotiation with real Accept parsing (RFC 9110 q-values).

One URL serves HTML to browsers and ActivityStreams JSON to servers. A client
gets JSON when it prefers one of the AS2 media types (``application/activity+json``
or ``application/ld+json`` with any profile) at least as much as HTML.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    params: dict[str, str]
    q: float

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return (self.type in ("*", main)) and (self.subtype in ("*", sub))

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    if not header:
        return [MediaRange("*", "*", {}, 1.0)]
    ranges: list[MediaRange] = []
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        kind = pieces[0].lower()
        if "/" not in kind:
            continue
        main, _, sub = kind.partition("/")
        params: dict[str, str] = {}
        q = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            name = name.strip().lower()
            value = value.strip().strip('"')
            if name == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
            elif name:
                params[name] = value
        ranges.append(MediaRange(main, sub, params, q))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The q of the most specific range that matches (RFC 9110 §12.5.1)."""
    best: MediaRange | None = None
    for media_range in ranges:
        if media_range.matches(media_type):
            if best is None or media_range.specificity > best.specificity:
                best = media_range
    return best.q if best is not None else 0.0


def prefers_activity_json(accept: str | None) -> bool:
    ranges = parse_accept(accept)
    as2 = max(quality(ranges, "application/activity+json"), quality(ranges, "application/ld+json"))
    html = quality(ranges, "text/html")
    if as2 == 0.0:
        return False
    # Wildcards alone (*/*) do not ask for JSON: browsers and curl get HTML.
    explicit_as2 = any(
        (r.type, r.subtype) in (("application", "activity+json"), ("application", "ld+json"))
        and r.q > 0
        for r in ranges
    )
    return explicit_as2 and as2 >= html
