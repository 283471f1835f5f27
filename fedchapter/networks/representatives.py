"""Who represents a chapter at its network's meetings (docs/networks.md).

A network's coordination call has one representative from each member
chapter, and the chapters rotate who goes. We keep to the offices the chapter
already rotates (``fedchapter.services.roles``, with every term recorded):
the representative at a meeting is whoever holds the chapter's facilitator
office when the meeting starts. Passing the office on (/admin/roles) rotates
the representative; the term history answers who represented the chapter at
a past meeting; a co-held office names every holder.

The chapter tells the network whom it sends (a Join of the meeting naming
them, docs/networks.md); the network lists every member chapter's
representatives on its own event page.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fedchapter.errors import DomainError
from fedchapter.role_terms import Holder, RoleTerm
from fedchapter.roles import Role

# The office whose holder goes to the network's meetings.
REPRESENTATIVE_OFFICE = Role.FACILITATOR


# What a chapter may name for one meeting (a co-held office names every holder).
MAX_REPRESENTATIVES = 20
MAX_REPRESENTATIVE_NAME = 100


def holders_at(terms: Iterable[RoleTerm], moment: datetime) -> tuple[Holder, ...]:
    """The representative office's holders at ``moment``, in the order their
    terms began; a meeting still to come falls in the current terms."""
    holders: list[Holder] = []
    for term in sorted(terms, key=lambda term: term.started_at):
        if term.role is REPRESENTATIVE_OFFICE and term.covers(moment) and term.holder not in holders:
            holders.append(term.holder)
    return tuple(holders)


def representatives_at(terms: Iterable[RoleTerm], moment: datetime) -> tuple[str, ...]:
    """The names of the representative office's holders at ``moment``."""
    names: list[str] = []
    for holder in holders_at(terms, moment):
        if holder.name not in names:
            names.append(holder.name)
    return tuple(names)


@dataclass(frozen=True)
class NamedRepresentative:
    """One representative as a chapter names them to its network: a name, and
    their actor when they have one (a local account's Person, a remote member)."""

    name: str
    actor: str | None = None


@dataclass(frozen=True)
class ChapterRepresentation:
    """On a network: one member chapter and whom it named for one of the
    network's events (``representatives`` empty: not named yet)."""

    chapter: str  # the chapter's actor
    chapter_name: str
    representatives: tuple[NamedRepresentative, ...] = ()
    said_at: datetime | None = None  # when the chapter said so (its Join's `published`)


class RepresentativesRefused(DomainError):
    """A chapter's naming the network does not take (the reason goes in the inbox)."""


def check_representatives(named: Iterable[NamedRepresentative]) -> tuple[NamedRepresentative, ...]:
    """What a chapter's Join names, within bounds."""
    found = tuple(named)
    if len(found) > MAX_REPRESENTATIVES:
        raise RepresentativesRefused(f"a chapter names at most {MAX_REPRESENTATIVES} representatives")
    for representative in found:
        if not representative.name.strip() or len(representative.name) > MAX_REPRESENTATIVE_NAME:
            raise RepresentativesRefused(f"a representative's name has 1 to {MAX_REPRESENTATIVE_NAME} characters")
    return found
