"""The JSON-LD context we emit and the media types we speak.

We emit the ActivityStreams and security contexts plus an inline context for
the extension terms we use: Mobilizon's (events and groups), schema.org's
(places), toot's (discoverable, votersCount) and fedchapter's own namespace
for structured minutes and proposals.
"""
from __future__ import annotations

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# Other servers write the public collection in these shorter forms too.
PUBLIC_ALIASES = frozenset({PUBLIC, "as:Public", "Public"})

FEDCHAPTER_NS = "https://fedchapter.org/ns#"

ACTIVITY_JSON = "application/activity+json"
LD_JSON = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
AS2_MEDIA_TYPES = (ACTIVITY_JSON, "application/ld+json")

EXTENSION_TERMS: dict[str, object] = {
    "toot": "http://joinmastodon.org/ns#",
    "discoverable": "toot:discoverable",
    "votersCount": "toot:votersCount",
    "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
    "sensitive": "as:sensitive",
    "mz": "https://joinmobilizon.org/ns#",
    "sc": "http://schema.org#",
    "ical": "http://www.w3.org/2002/12/cal/ical#",
    "openness": {"@id": "mz:openness", "@type": "@id"},
    "members": {"@id": "mz:members", "@type": "@id"},
    "memberCount": {"@id": "mz:memberCount", "@type": "sc:Integer"},
    "events": {"@id": "mz:events", "@type": "@id"},
    "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
    "joinModeType": {"@id": "mz:joinModeType", "@type": "rdfs:Class"},
    "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
    "isOnline": {"@id": "mz:isOnline", "@type": "sc:Boolean"},
    "participantCount": {"@id": "mz:participantCount", "@type": "sc:Integer"},
    "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
    "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
    "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "sc:URL"},
    "repliesModerationOption": {"@id": "mz:repliesModerationOption", "@type": "mz:repliesModerationOptionType"},
    "repliesModerationOptionType": {"@id": "mz:repliesModerationOptionType", "@type": "rdfs:Class"},
    "commentsEnabled": {"@id": "pt:commentsEnabled", "@type": "sc:Boolean"},
    "pt": "https://joinpeertube.org/ns#",
    "category": "sc:category",
    "inLanguage": "sc:inLanguage",
    "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
    "PostalAddress": "sc:PostalAddress",
    "addressCountry": "sc:addressCountry",
    "addressRegion": "sc:addressRegion",
    "postalCode": "sc:postalCode",
    "addressLocality": "sc:addressLocality",
    "streetAddress": "sc:streetAddress",
    "VirtualLocation": "sc:VirtualLocation",
    "status": {"@id": "ical:status", "@type": "@id"},
    "upcomingEvents": {"@id": "https://w3id.org/fep/8a8e#upcomingEvents", "@type": "@id"},
    "fc": FEDCHAPTER_NS,
}


def context() -> list[object]:
    return [AS_CONTEXT, SECURITY_CONTEXT, dict(EXTENSION_TERMS)]


def is_public(addresses: object) -> bool:
    if isinstance(addresses, str):
        return addresses in PUBLIC_ALIASES
    if isinstance(addresses, list):
        return any(isinstance(item, str) and item in PUBLIC_ALIASES for item in addresses)
    return False
