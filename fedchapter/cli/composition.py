"""The composition root: builds the running chapter from its settings, in one
place and in this order:

1. the database and its repositories;
2. the member directory (the publisher needs it for members-only items);
3. the federation core: HTTP client, actor resolver, outbound queue,
   publisher with the converter table, follows, blocks, delivery worker;
4. the domain services, publishing through that core;
5. the inbox around them: its dispatch table, context, worker and intake;
6. where this process runs them, the workers (inbox, delivery, proposals sweeper).

``serve`` (through :func:`chapter_app`), ``worker``, ``follow``, ``demo``,
the tests and the benchmarks all come through here; nothing registers itself
when a module is imported, so a process that imports less never behaves
differently. docs/how-a-request-flows.md walks through the result.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING, TypedDict, Unpack

import httpx

from fedchapter.cli.chapter_services import (
    ChapterServices,
    EventServices,
    MemberServices,
    NetworkServices,
    ProposalServices,
    RecordServices,
)
from fedchapter.cli.mail_composition import mail_services
from fedchapter.cli.workers import BackgroundWorkers
from fedchapter.metrics import NO_METRICS, Metrics, MetricsExport
from fedchapter.services.access import AccessService
from fedchapter.networks.model import AffiliationStatus
from fedchapter.networks.representatives import REPRESENTATIVE_OFFICE
from fedchapter.services.accounts import AccountService
from fedchapter.services.affiliations import AffiliationService
from fedchapter.services.chapter_profile import ChapterProfileCache
from fedchapter.services.chapter_settings import ChapterSettingsService
from fedchapter.services.comment_targets import RecordTargets
from fedchapter.services.comments import CommentService
from fedchapter.services.event_admission import EventAdmissionService
from fedchapter.services.events import EventService
from fedchapter.services.login import LoginService
from fedchapter.services.media import MediaLimits, MediaService
from fedchapter.services.media_sweeper import MediaSweeper
from fedchapter.services.media_owners import ChapterMediaOwners
from fedchapter.services.meetings import MeetingEvents
from fedchapter.services.member_directory import ChapterMembers
from fedchapter.services.membership import MembershipService
from fedchapter.services.minutes import MinutesService
from fedchapter.services.network_ballots import BallotForwarding, NetworkBallotService
from fedchapter.services.network_chapters import NetworkChapterService, chapter_weights
from fedchapter.services.network_events import NetworkEventService
from fedchapter.services.network_representatives import NetworkRepresentativeService
from fedchapter.services.network_tallies import NetworkTallies
from fedchapter.services.posts import PostService
from fedchapter.services.proposal_sweeper import ProposalSweeper
from fedchapter.services.proposals import ProposalService
from fedchapter.services.remote_members import RemoteMemberService
from fedchapter.services.representative_naming import RepresentativeNaming
from fedchapter.services.roles import RoleService
from fedchapter.services.rsvps import RsvpService
from fedchapter.services.shared_proposals import SharedProposalService
from fedchapter.settings import Settings
from federation.address_guard import Resolver
from federation.comment_relay import CommentRelay, RecordPublisher
from federation.comment_targets import UrlTargetFinder
from federation.event_join_answers import EventJoinAnswers
from federation.inbox.context import InboxServices
from federation.inbox.dispatch import InboxDispatch
from federation.inbox.table import build_inbox_dispatch
from federation.keys import generate_rsa_keypair
from federation.local_people import LocalPeople
from federation.media import MediaAttachments, RemoteMediaFetcher
from federation.network_ballots import FederatedBallotCourier
from federation.network_representatives import FederatedRepresentativeCourier
from federation.networks import FederatedAffiliationAnswers, FederatedNetworkLink
from federation.relay_gate import RelayGate
from federation.public_documents import PublicDocuments
from federation.runtime import Federation
from federation.to_as.registry import Converters
from federation.to_as.table import build_converters
from federation.urls import UrlKind, Urls
from storage.media_files import LocalMediaFiles
from storage.migrations import open_database
from storage.repositories import Repositories

if TYPE_CHECKING:
    from starlette.applications import Starlette


@asynccontextmanager
async def running_chapter(
    settings: Settings,
    *,
    http_transport: httpx.AsyncBaseTransport | None = None,
    address_resolver: Resolver | None = None,
    run_workers: bool = True,
    converters: Converters | None = None,
    inbox_dispatch: InboxDispatch | None = None,
) -> AsyncIterator[ChapterServices]:
    """The chapter, built and (with ``run_workers``) working; closed on the way out.

    ``http_transport`` and ``address_resolver`` let tests route HTTP between
    in-process chapters; ``converters`` and ``inbox_dispatch`` replace the
    built tables where a test stands in for a feature."""
    async with AsyncExitStack() as stack:
        database = await open_database(settings.database_target)
        stack.push_async_callback(database.close)
        repos = Repositories.for_database(database)
        urls = Urls(settings.base_url)
        metrics, metrics_export = _metrics_for(settings)
        directory = ChapterMembers(
            repos.users, repos.remote_members, urls.actor, partial(urls.id_of, kind=UrlKind.ACTOR)
        )
        federation = await Federation.build(
            settings, repos, members=directory, converters=converters or build_converters(),
            transport=http_transport, address_resolver=address_resolver,
            media=MediaAttachments(repos.media),
        )
        stack.push_async_callback(federation.aclose)
        profile = ChapterProfileCache(repos.chapter)
        accounts = AccountService(repos.actors, repos.users, generate_rsa_keypair)
        members = _member_services(repos, accounts, directory, federation)
        events = _event_services(repos, federation, profile, members.roles)
        records = _record_services(repos, urls, federation, directory, events, profile, settings)
        media_files = LocalMediaFiles(settings.media_folder)
        media = MediaService(
            repos.media, media_files,
            ChapterMediaOwners(events.events, records.minutes, records.posts, federation.publisher),
            repos.database,
            limits=MediaLimits(settings.media_image_max_bytes, settings.media_document_max_bytes),
            fetch_remote=RemoteMediaFetcher(federation.client),
        )
        media_sweeper = MediaSweeper(repos.media, media_files, repos.database)
        ballots = NetworkBallotService(repos.network_ballots, repos.proposals)
        proposals = _proposal_services(repos, directory, federation, ballots)
        networks = _network_services(repos, urls, federation, ballots, events)
        inbox = federation.inbox_for(
            InboxServices(
                comments=records.comments, relay=records.relay, proposals=proposals.proposals,
                shared_proposals=proposals.shared, rsvps=events.rsvps, network_events=events.network,
                members=directory, affiliations=networks.affiliations, network_chapters=networks.chapters,
                network_ballots=networks.ballots, network_representatives=networks.representatives, media=media,
            ),
            inbox_dispatch or build_inbox_dispatch(),
            metrics=metrics,
        )
        chapter_settings = ChapterSettingsService(
            repos.actors, repos.chapter, profile, directory, federation.publisher, repos.database,
            repos.reply_relays,
        )
        async def chapter_name() -> str:
            return (await profile.get()).name

        mail = mail_services(settings, repos, accounts, urls, chapter_name, records.posts)
        documents = PublicDocuments(
            repos.actors, repos.outbox, repos.followers, repos.following, repos.tombstones, repos.users
        )
        chapter = ChapterServices(
            settings=settings, database=database, repos=repos, urls=urls, accounts=accounts,
            profile=profile, chapter_settings=chapter_settings, documents=documents, federation=federation, inbox=inbox, members=members, records=records,
            proposals=proposals, events=events, networks=networks, mail=mail, media=media, media_sweeper=media_sweeper,
            metrics=metrics, metrics_export=metrics_export,
        )
        if run_workers:
            workers = BackgroundWorkers(
                inbox=inbox.worker, delivery=federation.delivery_worker, sweeper=proposals.sweeper,
                mail=mail.worker, notifications=mail.notification_sweeper, media=media_sweeper,
                listen=partial(database.listen, {
                    "inbox": inbox.worker.wake, "deliveries": federation.delivery_worker.wake,
                }) if database.dialect == "postgresql" else None,
            )
            workers.start()
            stack.push_async_callback(workers.stop)
        yield chapter


class ChapterOptions(TypedDict, total=False):
    """The keyword arguments of :func:`running_chapter`, passed on by :func:`chapter_app`."""

    http_transport: httpx.AsyncBaseTransport | None
    address_resolver: Resolver | None
    run_workers: bool
    converters: Converters | None
    inbox_dispatch: InboxDispatch | None


def chapter_app(settings: Settings, **options: Unpack[ChapterOptions]) -> Starlette:
    """The web app of this chapter: its lifespan builds the chapter here."""
    from web.app import create_app  # the web stack loads only for the commands that serve

    return create_app(settings, partial(running_chapter, settings, **options))


def _metrics_for(settings: Settings) -> tuple[Metrics, MetricsExport | None]:
    if not settings.metrics:
        return NO_METRICS, None
    # Imported only when on: prometheus_client costs start-up time and memory.
    from fedchapter.cli.prometheus_metrics import PrometheusMetrics

    prometheus = PrometheusMetrics()
    return prometheus, prometheus


def _member_services(
    repos: Repositories, accounts: AccountService, directory: ChapterMembers, federation: Federation
) -> MemberServices:
    roles = RoleService(repos.users, repos.remote_members, repos.role_terms, repos.database)
    return MemberServices(
        access=AccessService(repos.users),
        logins=LoginService(accounts, repos.users, repos.login_failures, repos.password_changes),
        membership=MembershipService(
            accounts, repos.chapter, repos.join_requests, repos.invitations, roles, repos.database
        ),
        roles=roles,
        # The federation core's resolver: one actor cache and one HTTP client serve both.
        remote_members=RemoteMemberService(federation.resolver, repos.remote_members, roles, repos.database),
        directory=directory,
    )


def _event_services(
    repos: Repositories, federation: Federation, profile: ChapterProfileCache, roles: RoleService
) -> EventServices:
    events = EventService(repos.events, repos.rsvps, federation.publisher, repos.database)

    async def member_of(network: str) -> bool:
        affiliation = await repos.affiliations.by_network(network)
        return affiliation is not None and affiliation.status is AffiliationStatus.MEMBER

    async def followed_chapters() -> set[str]:
        chapter = await profile.get()
        return {row.actor_id for row in await repos.following.all(chapter.actor_id) if row.state == "accepted"}

    answers = EventJoinAnswers(
        outbound=federation.outbound, urls=federation.urls, chapter=repos.chapter, actors=repos.actors
    )
    # A member chapter tells its networks whom it sends to their meetings.
    naming = RepresentativeNaming(
        repos.network_events, partial(roles.terms_of, REPRESENTATIVE_OFFICE), member_of,
        FederatedRepresentativeCourier(stores=repos, users=repos.users, outbound=federation.outbound,
                                       urls=federation.urls),
    )
    roles.on_offices_changed(naming.offices_changed)
    return EventServices(
        events=events,
        rsvps=RsvpService(events, repos.rsvps, repos.database, invitations=repos.event_invitations),
        admission=EventAdmissionService(
            events, repos.rsvps, repos.event_invitations, answers, LocalPeople(federation.urls, repos.users),
            federation.resolver, repos.database,
        ),
        network=NetworkEventService(repos.network_events, events, followed=followed_chapters,
                                    member_of=member_of,
                                    representative_terms=partial(roles.terms_of, REPRESENTATIVE_OFFICE),
                                    on_kept=naming.meeting_arrived),
        representatives=naming,
    )


def _record_services(
    repos: Repositories,
    urls: Urls,
    federation: Federation,
    directory: ChapterMembers,
    events: EventServices,
    profile: ChapterProfileCache,
    settings: Settings,
) -> RecordServices:
    # Comments are published by their author and relayed by the chapter (FEP-1b12).
    gate = RelayGate(repos.reply_relays, repos.chapter, repos.followers, directory.is_member_actor)
    relay = CommentRelay(federation.publisher, gate)
    publisher = RecordPublisher(federation.publisher, relay)

    async def chapter_name() -> str:
        return (await profile.get()).name

    meetings = MeetingEvents(events.events, chapter_name, settings.timezone)
    targets = RecordTargets(repos.events, repos.minutes, repos.posts, repos.proposals)
    finder = UrlTargetFinder(urls, {
        UrlKind.EVENT: targets.event,
        UrlKind.MINUTES: targets.minutes,
        UrlKind.POST: targets.post,
        UrlKind.PROPOSAL: targets.proposal,
    })
    return RecordServices(
        minutes=MinutesService(repos.minutes, publisher, repos.database,
                               event_exists=meetings.exists, schedule_meeting=meetings.schedule),
        posts=PostService(repos.posts, publisher, repos.database),
        comments=CommentService(
            repos.comments, finder, publisher, repos.database,
            comment_url=urls.comment, is_member=directory.is_member_actor,
        ),
        relay=relay,
    )


def _proposal_services(
    repos: Repositories, directory: ChapterMembers, federation: Federation, ballots: NetworkBallotService
) -> ProposalServices:
    wake_sweeper = asyncio.Event()

    async def member_chapters() -> tuple[str, ...] | None:
        # A network's scoped proposals go to its member chapters (docs/networks.md).
        if not await repos.networks.is_network():
            return None
        return tuple(chapter.actor for chapter in await repos.networks.chapters((AffiliationStatus.MEMBER,), 10_000))

    async def member_of(network: str) -> bool:
        affiliation = await repos.affiliations.by_network(network)
        return affiliation is not None and affiliation.status is AffiliationStatus.MEMBER

    # A member's vote on our copy of a network's members ballot goes on to the network.
    courier = FederatedBallotCourier(stores=repos, outbound=federation.outbound, urls=federation.urls)
    proposals = ProposalService(
        repos.proposals, directory, federation.publisher, repos.database, on_counts_changed=wake_sweeper.set,
        member_chapters=member_chapters, on_vote=BallotForwarding(repos.proposals, directory, courier),
        network_votes=ballots.counted_votes,
        network_tally=NetworkTallies(repos.proposals.chapter_results, partial(chapter_weights, repos.networks)),
    )
    return ProposalServices(
        proposals=proposals,
        shared=SharedProposalService(repos.proposals, proposals, repos.relayed_reports, member_of=member_of),
        sweeper=ProposalSweeper(proposals, wake_sweeper, exclusive=repos.database.exclusively),
    )


def _network_services(
    repos: Repositories, urls: Urls, federation: Federation, ballots: NetworkBallotService, events: EventServices
) -> NetworkServices:
    link = FederatedNetworkLink(
        stores=repos, follows=federation.follows, fetcher=federation.client, outbound=federation.outbound, urls=urls,
    )
    answers = FederatedAffiliationAnswers(stores=repos, outbound=federation.outbound, urls=urls)
    return NetworkServices(
        affiliations=AffiliationService(repos.affiliations, link, repos.database,
                                        on_member=events.representatives.became_member),
        chapters=NetworkChapterService(repos.networks, answers, repos.database),
        ballots=ballots,
        representatives=NetworkRepresentativeService(repos.network_representatives, repos.networks, events.events),
    )
