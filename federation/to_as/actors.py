"""Our actors as ActivityStreams documents: the chapter's Group, the instance
Application (FEP-2677) and members' Persons."""
from __future__ import annotations

from typing import Any

from fedchapter.actors import LocalActor
from fedchapter.chapter import ChapterProfile
from fedchapter.clock import to_iso
from fedchapter.text import render_markdown
from federation.integrity import (
    DATA_INTEGRITY_CONTEXT,
    MULTIKEY_CONTEXT,
    integrity_key,
    multikey,
)
from federation.urls import Urls
from federation.vocabulary import context


def _key(urls: Urls, actor_url: str, actor: LocalActor) -> dict[str, str]:
    return {"id": urls.key_id(actor_url), "owner": actor_url, "publicKeyPem": actor.public_key_pem}


def _common(urls: Urls, actor: LocalActor, actor_url: str) -> dict[str, Any]:
    return {
        "@context": context(),
        "id": actor_url,
        "preferredUsername": actor.username,
        "name": actor.display_name,
        "inbox": urls.inbox(actor.username),
        "outbox": urls.outbox(actor.username),
        "followers": urls.followers(actor.username),
        "following": urls.following(actor.username),
        "endpoints": {"sharedInbox": urls.shared_inbox()},
        "publicKey": _key(urls, actor_url, actor),
        "published": to_iso(actor.created_at),
    }


def group_to_as(
    urls: Urls, group: LocalActor, chapter: ChapterProfile, *, member_count: int, language: str
) -> dict[str, Any]:
    actor_url = urls.actor(group.username)
    document = _common(urls, group, actor_url)
    document.update(
        {
            "type": "Group",
            "summary": render_markdown(chapter.summary) if chapter.summary else "",
            "url": urls.absolute("/"),
            "manuallyApprovesFollowers": chapter.approve_followers,
            "discoverable": True,
            "openness": chapter.openness,
            "members": urls.members(group.username),
            "memberCount": member_count,
            "events": urls.events_collection(group.username),
            "upcomingEvents": urls.events_collection(group.username),
            # FEP-1b12: a group's moderators are its attributedTo collection.
            "attributedTo": urls.moderators(group.username),
            "inLanguage": language,
            # FEP-521a: the key that signs the chapter's reports and forwarded
            # ballots (FEP-8b32), so anyone can check them without trusting a relay.
            "assertionMethod": [multikey(actor_url, integrity_key(group).public_key())],
        }
    )
    document["@context"] = [*document["@context"], DATA_INTEGRITY_CONTEXT, MULTIKEY_CONTEXT]
    return document


def person_to_as(urls: Urls, person: LocalActor) -> dict[str, Any]:
    actor_url = urls.actor(person.username)
    document = _common(urls, person, actor_url)
    document.update(
        {
            "type": "Person",
            "summary": render_markdown(person.summary) if person.summary else "",
            "url": actor_url,
            "manuallyApprovesFollowers": False,
            "discoverable": False,
        }
    )
    return document


def instance_actor_to_as(urls: Urls, instance: LocalActor) -> dict[str, Any]:
    """The server's own actor, which signs fetches (authorized-fetch servers need it)."""
    actor_url = urls.instance_actor()
    return {
        "@context": context(),
        "id": actor_url,
        "type": "Application",
        "preferredUsername": instance.username,
        "name": instance.display_name,
        "inbox": urls.instance_inbox(),
        "outbox": urls.instance_actor() + "/outbox",
        "endpoints": {"sharedInbox": urls.shared_inbox()},
        "publicKey": _key(urls, actor_url, instance),
        "manuallyApprovesFollowers": True,
        "url": urls.absolute("/about"),
    }
