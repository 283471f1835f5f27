"""The running chapter as one typed object: everything the routes, the inbox
and the CLI commands use, built once by the composition root
(``fedchapter.cli.composition``) and never changed after.

The web app receives it in its lifespan (``request.app.state.ctx``); a lone
``fedchapter worker`` builds the very same object, so it handles every
activity exactly as a web process would.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fedchapter.actors import LocalActor
from fedchapter.chapter import ChapterProfile
from fedchapter.metrics import NO_METRICS, Metrics, MetricsExport, QueueSnapshot
from fedchapter.services.access import AccessService
from fedchapter.services.account_mail import AccountMailService
from fedchapter.services.bulletins import BulletinService
from fedchapter.services.media import MediaService
from fedchapter.services.media_sweeper import MediaSweeper
from fedchapter.services.mail_preferences import MailPreferenceService
from fedchapter.services.notifications import NotificationService, NotificationSweeper
from fedchapter.services.unsubscribing import Unsubscribing
from fedchapter.services.mail_queue import MailOutbox, MailWorker
from fedchapter.services.accounts import AccountService
from fedchapter.services.affiliations import AffiliationService
from fedchapter.services.chapter_profile import ChapterProfileCache
from fedchapter.services.chapter_settings import ChapterSettingsService
from fedchapter.services.comments import CommentService
from fedchapter.services.event_admission import EventAdmissionService
from fedchapter.services.events import EventService
from fedchapter.services.login import LoginService
from fedchapter.services.member_directory import ChapterMembers
from fedchapter.services.membership import MembershipService
from fedchapter.services.minutes import MinutesService
from fedchapter.services.network_ballots import NetworkBallotService
from fedchapter.services.network_chapters import NetworkChapterService
from fedchapter.services.network_events import NetworkEventService
from fedchapter.services.network_representatives import NetworkRepresentativeService
from fedchapter.services.representative_naming import RepresentativeNaming
from fedchapter.services.posts import PostService
from fedchapter.services.proposal_sweeper import ProposalSweeper
from fedchapter.services.proposals import ProposalService
from fedchapter.services.remote_members import RemoteMemberService
from fedchapter.services.roles import RoleService
from fedchapter.services.rsvps import RsvpService
from fedchapter.services.shared_proposals import SharedProposalService
from fedchapter.settings import Settings
from federation.comment_relay import CommentRelay
from federation.public_documents import PublicDocuments
from federation.runtime import Federation, FederationInbox
from federation.urls import Urls
from storage.database import Database
from storage.repositories import Repositories


@dataclass(frozen=True)
class MemberServices:
    access: AccessService
    logins: LoginService
    membership: MembershipService
    roles: RoleService
    remote_members: RemoteMemberService
    # Who the members are, as actors: members-only deliveries, votes, the count.
    directory: ChapterMembers


@dataclass(frozen=True)
class RecordServices:
    minutes: MinutesService
    posts: PostService
    comments: CommentService
    relay: CommentRelay


@dataclass(frozen=True)
class ProposalServices:
    proposals: ProposalService
    shared: SharedProposalService
    sweeper: ProposalSweeper


@dataclass(frozen=True)
class EventServices:
    events: EventService
    rsvps: RsvpService
    # The organisers' side: requests to answer, invitations.
    admission: EventAdmissionService
    network: NetworkEventService
    # A member chapter naming whom it sends to its networks' meetings.
    representatives: RepresentativeNaming


@dataclass(frozen=True)
class NetworkServices:
    # Chapter side: the networks this chapter asked to join.
    affiliations: AffiliationService
    # Network side (an instance made with `init --network`): its member chapters,
    chapters: NetworkChapterService
    # and the members' ballots they forward (scope "members"),
    ballots: NetworkBallotService
    # and whom each sends to the network's meetings.
    representatives: NetworkRepresentativeService


@dataclass(frozen=True)
class MailServices:
    # Where every service puts mail; the worker sends it (never a web request).
    outbox: MailOutbox
    worker: MailWorker
    accounts: AccountMailService
    preferences: MailPreferenceService
    bulletins: BulletinService
    unsubscribing: Unsubscribing
    notifications: NotificationService
    notification_sweeper: NotificationSweeper
    # Where mail goes when no SMTP server is set (listed at /admin/mail), else None.
    folder: Path | None


@dataclass(frozen=True)
class ChapterServices:
    settings: Settings
    database: Database
    repos: Repositories
    urls: Urls
    accounts: AccountService
    profile: ChapterProfileCache
    chapter_settings: ChapterSettingsService
    # What the ActivityPub routes read (actors, collections, tombstones).
    documents: PublicDocuments
    federation: Federation
    inbox: FederationInbox
    members: MemberServices
    records: RecordServices
    proposals: ProposalServices
    events: EventServices
    networks: NetworkServices
    mail: MailServices
    # Pictures and documents: uploads, their files, cached remote pictures (docs/media.md).
    media: MediaService
    # Removes the files of deleted owners; run by the background workers.
    media_sweeper: MediaSweeper
    # Events this process records, and (when ``metrics = true``) what renders /metrics.
    metrics: Metrics = NO_METRICS
    metrics_export: MetricsExport | None = None

    async def chapter(self) -> ChapterProfile:
        """The chapter's profile (cached for a couple of seconds)."""
        return await self.profile.get()

    def forget_chapter(self) -> None:
        """After an admin edits the settings: the next page reads them afresh."""
        self.profile.forget()

    def pages_version(self) -> int:
        """Moves whenever this process commits a write that a page may show:
        the anonymous page cache (web/page_cache.py) keeps answers until it does."""
        return self.database.page_changes

    async def chapter_actor(self) -> LocalActor:
        profile = await self.chapter()
        actor = await self.repos.actors.by_id(profile.actor_id)
        assert actor is not None
        return actor

    async def schema_version(self) -> int | None:
        """The database's schema version: a real query on a real table, for /healthz
        (a database that lost its schema is not healthy)."""
        version = await self.database.fetchvalue("SELECT MAX(version) FROM schema_version")
        return None if version is None else int(version)

    async def queue_readings(self) -> QueueSnapshot:
        """Queue depths and ages, read from the database for /metrics (the same in every process)."""
        return await self.repos.queue_stats.snapshot()

    async def instance_actor(self) -> LocalActor:
        profile = await self.chapter()
        actor = await self.repos.actors.by_id(profile.instance_actor_id)
        assert actor is not None
        return actor
