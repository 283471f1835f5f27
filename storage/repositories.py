"""All repositories of one database, built in one place for the composition root."""
from __future__ import annotations

from dataclasses import dataclass

from storage.actors import ChapterRepository, LocalActorRepository
from storage.blocks import BlockRepository, RecentBlocks
from storage.comments import CommentRepository
from storage.database import Database
from storage.deliveries import DeliveryRepository
from storage.event_invitations import EventInvitationRepository
from storage.events import EventRepository
from storage.delivery_hosts import DeliveryHostRepository
from storage.inbox import InboxRepository
from storage.bulletins import BulletinRepository, SubscriberRepository
from storage.mail import (
    AccountEmailRepository,
    MailPreferenceRepository,
    MailTokenRepository,
    OutgoingMailRepository,
)
from storage.login_security import LoginFailureRepository, PasswordChangeRepository
from storage.notifications import NotificationRepository, NotificationSourceRepository
from storage.media import MediaRepository
from storage.members import InvitationRepository, JoinRequestRepository, RemoteMemberRepository
from storage.minutes import MinutesRepository
from storage.network_events import NetworkEventRepository
from storage.network_ballots import NetworkBallotRepository, RelayedReportRepository
from storage.network_representatives import NetworkRepresentativeRepository
from storage.networks import AffiliationRepository, NetworkRepository
from storage.posts import PostRepository
from storage.proposals import ProposalRepository
from storage.queue_stats import QueueStatsRepository
from storage.remote_actors import RemoteActorRepository
from storage.reply_relays import ReplyRelayRepository
from storage.role_terms import RoleTermRepository
from storage.rsvps import RsvpRepository
from storage.social import FollowerRepository, FollowingRepository, OutboxRepository
from storage.tombstones import TombstoneRepository
from storage.users import UserRepository


@dataclass
class Repositories:
    database: Database
    actors: LocalActorRepository
    chapter: ChapterRepository
    users: UserRepository
    followers: FollowerRepository
    following: FollowingRepository
    outbox: OutboxRepository
    minutes: MinutesRepository
    posts: PostRepository
    comments: CommentRepository
    remote_actors: RemoteActorRepository
    inbox: InboxRepository
    deliveries: DeliveryRepository
    delivery_hosts: DeliveryHostRepository
    blocks: BlockRepository
    # The same list in memory, for the inbox and deliveries (it may lag another process by seconds).
    recent_blocks: RecentBlocks
    tombstones: TombstoneRepository
    join_requests: JoinRequestRepository
    invitations: InvitationRepository
    remote_members: RemoteMemberRepository
    role_terms: RoleTermRepository
    login_failures: LoginFailureRepository
    password_changes: PasswordChangeRepository
    proposals: ProposalRepository
    events: EventRepository
    rsvps: RsvpRepository
    event_invitations: EventInvitationRepository
    network_events: NetworkEventRepository
    networks: NetworkRepository
    affiliations: AffiliationRepository
    network_ballots: NetworkBallotRepository
    network_representatives: NetworkRepresentativeRepository
    relayed_reports: RelayedReportRepository
    reply_relays: ReplyRelayRepository
    queue_stats: QueueStatsRepository
    outgoing_mail: OutgoingMailRepository
    mail_tokens: MailTokenRepository
    account_emails: AccountEmailRepository
    mail_preferences: MailPreferenceRepository
    bulletins: BulletinRepository
    subscribers: SubscriberRepository
    notifications: NotificationRepository
    notification_sources: NotificationSourceRepository
    media: MediaRepository

    @classmethod
    def for_database(cls, database: Database) -> Repositories:
        blocks = BlockRepository(database)
        return cls(
            database=database,
            actors=LocalActorRepository(database),
            chapter=ChapterRepository(database),
            users=UserRepository(database),
            followers=FollowerRepository(database),
            following=FollowingRepository(database),
            outbox=OutboxRepository(database),
            minutes=MinutesRepository(database),
            posts=PostRepository(database),
            comments=CommentRepository(database),
            remote_actors=RemoteActorRepository(database),
            inbox=InboxRepository(database),
            deliveries=DeliveryRepository(database),
            delivery_hosts=DeliveryHostRepository(database),
            blocks=blocks,
            recent_blocks=RecentBlocks(blocks),
            tombstones=TombstoneRepository(database),
            join_requests=JoinRequestRepository(database),
            invitations=InvitationRepository(database),
            remote_members=RemoteMemberRepository(database),
            role_terms=RoleTermRepository(database),
            login_failures=LoginFailureRepository(database),
            password_changes=PasswordChangeRepository(database),
            proposals=ProposalRepository(database),
            events=EventRepository(database),
            rsvps=RsvpRepository(database),
            event_invitations=EventInvitationRepository(database),
            network_events=NetworkEventRepository(database),
            networks=NetworkRepository(database),
            affiliations=AffiliationRepository(database),
            network_ballots=NetworkBallotRepository(database),
            network_representatives=NetworkRepresentativeRepository(database),
            relayed_reports=RelayedReportRepository(database),
            reply_relays=ReplyRelayRepository(database),
            queue_stats=QueueStatsRepository(database),
            outgoing_mail=OutgoingMailRepository(database),
            mail_tokens=MailTokenRepository(database),
            account_emails=AccountEmailRepository(database),
            mail_preferences=MailPreferenceRepository(database),
            bulletins=BulletinRepository(database),
            subscribers=SubscriberRepository(database),
            notifications=NotificationRepository(database),
            notification_sources=NotificationSourceRepository(database),
            media=MediaRepository(database),
        )
