"""bovine-herd as an interop peer: one actor plus a control API.

Runs inside the bovine venv that tests/interop/install_peers.sh builds (never
in the project's venv), served by hypercorn on 127.0.0.1:

    BOVINE_DB_URL=sqlite:///tmp/x/bovine.sqlite3 BOVINE_ORIGIN=http://127.0.0.1:PORT \\
    BOVINE_HANDLE=bob BUTCHER_ALLOW_HTTP=1 \\
    hypercorn --bind 127.0.0.1:PORT herd_app:app

Everything ActivityPub is bovine's own code: bovine_herd serves the actor,
WebFinger and inbox and verifies HTTP signatures (draft-cavage and RFC 9421);
the control API only hands activities to bovine_process's outbox pipeline, the
same path a C2S client's POST to the outbox takes, and bovine signs and
delivers them.  bovine-herd requires a signed GET for actors and objects
("authorized fetch"), which makes it a good check of fedchapter's signed GETs.

bovine-herd leaves answering a Follow to a client application; this app plays
that client and accepts every Follow at once.
"""

import json
import logging
import os
import traceback
from urllib.parse import urlparse

import bovine.clients
import bovine.jsonld
from bovine_herd import BovineHerd
from bovine_process import handle_outbox_item, process_outbox_item
from bovine_process.incoming import default_inbox_process
from bovine_process.types import ProcessingItem
from bovine_store import BovineAdminStore
from bovine_store.models import BovineActor
from pyld import jsonld
from pyld.documentloader.requests import requests_document_loader
from quart import Blueprint, Quart, jsonify, request

logging.basicConfig(
    level=os.environ.get("BOVINE_LOG_LEVEL", "INFO"),
    format="%(asctime)s %(levelname)s %(name)s %(message)s",
)
logger = logging.getLogger("herd_app")

DB_URL = os.environ["BOVINE_DB_URL"]
ORIGIN = os.environ["BOVINE_ORIGIN"].rstrip("/")  # http://127.0.0.1:PORT
HANDLE = os.environ.get("BOVINE_HANDLE", "bob")
# Group: the actor plays another chapter (bovine keeps the type in the
# actor's stored properties, which its actor document then shows).
ACTOR_TYPE = os.environ.get("BOVINE_ACTOR_TYPE") or "Person"
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"



# ------------------------------------------------------ offline JSON-LD ----
# bovine compacts every activity with pyld, whose document loader fetches
# remote @context documents from the internet.  These tests may only talk to
# loopback, so contexts come from the copies Fedify ships (saved by
# install_peers.sh), from bovine's built-ins, or from a loopback server;
# anything else becomes an empty context (logged), never a network request.
with open(os.environ["BOVINE_JSONLD_CONTEXTS"]) as _file:
    OFFLINE_CONTEXTS = json.load(_file)
OFFLINE_CONTEXTS.setdefault("http://schema.org", OFFLINE_CONTEXTS.get("http://schema.org/"))
_bovine_loader = bovine.jsonld.wrapper  # answers its own names offline
_loopback_loader = requests_document_loader(timeout=10)


def _document(url: str, document: dict) -> dict:
    return {"contentType": "application/ld+json", "contextUrl": None,
            "documentUrl": url, "document": document}


def offline_document_loader(url: str, options: dict, **kwargs) -> dict:
    if url in (bovine.jsonld.bovine_context_name, "https://www.w3.org/ns/activitystreams") \
            or url.startswith("http://joinmastodon.org/ns"):
        return _bovine_loader(url, options)
    if OFFLINE_CONTEXTS.get(url):
        return _document(url, OFFLINE_CONTEXTS[url])
    host = urlparse(url).hostname or ""
    if host == "localhost" or host.startswith("127."):
        return _loopback_loader(url, options)
    logger.warning("JSON-LD context %s is not available offline; using an empty one", url)
    # An empty object, not an empty list: pyld 2.0.4 fails on "@context": [].
    return _document(url, {"@context": {}})


jsonld.set_document_loader(offline_document_loader)

# Everything that reached the actor's inbox, newest last.
received: list[dict] = []


def _summary(obj):
    """The few fields of an object the tests look at (obj may be an id)."""
    if not isinstance(obj, dict):
        return None
    return {
        key: obj.get(key)
        for key in (
            "type", "id", "name", "summary", "content", "url", "attributedTo",
            "inReplyTo", "startTime", "endTime", "to", "cc", "location",
            "oneOf", "anyOf", "votersCount", "closed", "image", "attachment",
        )
    }


async def inbox_task(item: ProcessingItem, actor) -> None:
    """Replaces bovine-herd's inbox background task: record, process, and
    accept Follows.  It is called inside the inbox POST request (after bovine
    verified the signature) and schedules the processing, as bovine does."""
    headers = request.headers
    if "signature-input" in headers:
        scheme = "rfc9421"
    elif "signature" in headers:
        scheme = "draft-cavage"
    else:
        scheme = None
    raw = dict(item.data)
    actor_field = raw.get("actor")
    entry = {
        "type": raw.get("type"),
        "id": raw.get("id"),
        "actor": actor_field if isinstance(actor_field, str) else (actor_field or {}).get("id"),
        "signer": item.submitter,
        "signature": scheme,
        "parsed_ok": None,  # set once bovine_process has handled it
        "object_type": None,
        "object_id": None,
        "name": None,
        "object": None,
        "error": None,
        "raw": raw,
    }
    received.append(entry)
    app.add_background_task(_process_inbox, item, actor, entry)


async def _process_inbox(item: ProcessingItem, actor, entry: dict) -> None:
    try:
        obj = item.data.get("object")
        if isinstance(obj, str):
            # Not embedded: fetch it the way bovine does (signed, cached).
            entry["object_id"] = obj
            obj = await actor.retrieve(obj) or obj
        if isinstance(obj, dict):
            entry["object_type"] = obj.get("type")
            entry["object_id"] = obj.get("id")
            entry["name"] = obj.get("name")
            entry["object"] = _summary(obj)
        await default_inbox_process(item, actor)
        if entry["type"] == "Follow" and entry["object_id"] == actor.actor_id:
            await send(actor, {
                "type": "Accept",
                "actor": actor.actor_id,
                "object": entry["raw"],
                "to": [entry["actor"]],
            })
        # Set last: once a test sees it, followers are updated and the
        # Accept has been delivered.
        entry["parsed_ok"] = True
    except Exception as error:  # record, never crash the worker
        entry["parsed_ok"] = False
        entry["error"] = f"{type(error).__name__}: {error}"
        logger.error("inbox processing failed:\n%s", traceback.format_exc())


async def send(actor, activity: dict) -> dict:
    """Post an activity through bovine's outbox pipeline: ids assigned,
    stored, social graph updated, then signed and delivered to every
    recipient in to/cc (bovine expands its followers collection)."""
    activity = {"@context": AS_CONTEXT, **activity}
    item = await handle_outbox_item(ProcessingItem(actor.actor_id, activity), actor)
    await process_outbox_item(item, actor)
    return item.data


app = Quart(__name__)
BovineHerd(app, start_background_task_inbox=inbox_task, db_url=DB_URL)


@app.before_serving
async def register_actor() -> None:
    """Create the actor on first start (what `bovine_tool.register` does; done
    here because only a serving app creates the database tables)."""
    if not await BovineActor.filter(handle_name=HANDLE).exists():
        name = await BovineAdminStore(domain=ORIGIN).register(HANDLE)
        logger.info("registered %s as %s", HANDLE, name)
    if ACTOR_TYPE != "Person":
        stored = await BovineActor.get(handle_name=HANDLE)
        stored.properties = {**(stored.properties or {}), "type": ACTOR_TYPE}
        await stored.save()


async def the_actor():
    stored = await BovineActor.get(handle_name=HANDLE)
    return await app.config["bovine_store"].actor_for_name(stored.bovine_name)


async def resolve_actor_id(actor, target: str) -> str:
    """An actor URL, or a handle @name@host / name@host looked up by
    WebFinger (bovine tries https first, then http under BUTCHER_ALLOW_HTTP)."""
    if target.startswith("http://") or target.startswith("https://"):
        return target
    url = await bovine.clients.lookup_account_with_webfinger(actor.session, target.lstrip("@"))
    if url is None:
        raise LookupError(f"WebFinger found no actor for {target}")
    return url


async def owner_of(actor, object_id: str) -> str:
    obj = await actor.get(object_id)
    owner = obj.get("attributedTo") or obj.get("audience")
    if isinstance(owner, list):
        owner = owner[0]
    if isinstance(owner, dict):
        owner = owner.get("id")
    if not owner:
        raise LookupError(f"{object_id} has no attributedTo")
    return owner


control = Blueprint("control", __name__, url_prefix="/control")


@control.errorhandler(Exception)
async def control_error(error):
    # A failed lookup or fetch is the peer's honest answer, not a crash; only
    # the control routes answer this way, bovine's own keep their behaviour.
    logger.error("control request failed:\n%s", traceback.format_exc())
    return jsonify({"error": f"{type(error).__name__}: {error}"}), 502


@control.get("/ready")
async def ready():
    actor = await the_actor()
    host = ORIGIN.split("://", 1)[1]
    return jsonify({
        "actor": actor.actor_id,
        "handle": f"@{HANDLE}@{host}",
        "inbox": actor.actor_object.inbox,
    })


@control.get("/received")
async def get_received():
    return jsonify(received)


@control.get("/followers")
async def get_followers():
    actor = await the_actor()
    return jsonify(sorted(await actor.resolve_endpoints([actor.actor_object.followers])))


@control.get("/following")
async def get_following():
    actor = await the_actor()
    return jsonify(sorted(await actor.resolve_endpoints([actor.actor_object.following])))


@control.get("/webfinger")
async def webfinger():
    actor = await the_actor()
    resource = request.args["resource"]
    jrd, _ = await bovine.clients.lookup_uri_with_webfinger(actor.session, resource)
    return jsonify({"resource": resource, "actor": jrd})


@control.get("/fetch")
async def fetch():
    """Signed GET (draft-cavage, bovine's default) as the actor."""
    actor = await the_actor()
    document = await actor.get(request.args["url"])
    return jsonify({"url": request.args["url"], "document": document})


@control.post("/follow")
async def follow():
    actor = await the_actor()
    target = await resolve_actor_id(actor, (await request.get_json())["target"])
    data = await send(actor, {"type": "Follow", "actor": actor.actor_id, "object": target,
                              "to": [target]})
    return jsonify({"id": data["id"], "target": target})


@control.post("/unfollow")
async def unfollow():
    actor = await the_actor()
    target = await resolve_actor_id(actor, (await request.get_json())["target"])
    data = await send(actor, {
        "type": "Undo", "actor": actor.actor_id, "to": [target],
        "object": {"type": "Follow", "actor": actor.actor_id, "object": target},
    })
    return jsonify({"id": data["id"], "target": target})


@control.post("/post")
async def post():
    """A public Note to the followers, and to any actors named in `to`."""
    actor = await the_actor()
    body = await request.get_json()
    extra = [await resolve_actor_id(actor, t) for t in body.get("to", [])]
    note = {
        "type": "Note", "attributedTo": actor.actor_id, "content": body["content"],
        "to": [PUBLIC, *extra], "cc": [actor.actor_object.followers],
    }
    data = await send(actor, {"type": "Create", "actor": actor.actor_id, "object": note,
                              "to": note["to"], "cc": note["cc"]})
    return jsonify({"id": data["id"], "object": data["object"]["id"]})


@control.post("/create")
async def create():
    """Publish any object given as JSON (bovine sets its id; this sets
    attributedTo and addressing): public, to the followers and `to`."""
    actor = await the_actor()
    body = await request.get_json()
    extra = [await resolve_actor_id(actor, t) for t in body.get("to", [])]
    obj = {**body["object"], "attributedTo": actor.actor_id,
           "to": [PUBLIC, *extra], "cc": [actor.actor_object.followers]}
    data = await send(actor, {"type": "Create", "actor": actor.actor_id, "object": obj,
                              "to": obj["to"], "cc": obj["cc"]})
    return jsonify({"id": data["id"], "object": data["object"]["id"]})


@control.post("/delete")
async def delete():
    """Delete an object this actor published; bovine replaces it with a
    Tombstone and sends the Delete to the object's own to/cc."""
    actor = await the_actor()
    object_id = (await request.get_json())["object"]
    if not await actor.retrieve(object_id, only_own=True):
        return jsonify({"error": f"{object_id} is not this actor's"}), 404
    data = await send(actor, {"type": "Delete", "actor": actor.actor_id, "object": object_id})
    return jsonify({"id": data["id"], "object": object_id})


@control.post("/reply")
async def reply():
    """A public reply delivered to `to` (default: the replied object's owner)."""
    actor = await the_actor()
    body = await request.get_json()
    targets = [await resolve_actor_id(actor, t) for t in body.get("to", [])] or [
        await owner_of(actor, body["inReplyTo"])
    ]
    note = {
        "type": "Note", "attributedTo": actor.actor_id, "content": body["content"],
        "inReplyTo": body["inReplyTo"], "to": [PUBLIC], "cc": targets,
        # A content warning as Mastodon sends one: the warning in summary.
        **{key: body[key] for key in ("summary", "sensitive") if key in body},
    }
    data = await send(actor, {"type": "Create", "actor": actor.actor_id, "object": note,
                              "to": note["to"], "cc": note["cc"]})
    return jsonify({"id": data["id"], "object": data["object"]["id"]})


@control.post("/vote")
async def vote():
    """Mastodon-style vote: Create(Note{name, inReplyTo}) per choice, to the
    poll's owner only."""
    actor = await the_actor()
    body = await request.get_json()
    owner = await owner_of(actor, body["question"])
    votes = []
    for choice in body.get("choices") or [body["choice"]]:
        note = {"type": "Note", "attributedTo": actor.actor_id, "name": choice,
                "inReplyTo": body["question"], "to": [owner]}
        data = await send(actor, {"type": "Create", "actor": actor.actor_id,
                                  "object": note, "to": [owner]})
        votes.append({"id": data["id"], "object": data["object"]["id"]})
    return jsonify({"votes": votes, "owner": owner})


async def _rsvp(kind: str):
    actor = await the_actor()
    body = await request.get_json()
    owner = body.get("to") or await owner_of(actor, body["event"])
    owner = await resolve_actor_id(actor, owner)
    data = await send(actor, {"type": kind, "actor": actor.actor_id,
                              "object": body["event"], "to": [owner]})
    return jsonify({"id": data["id"], "owner": owner})


@control.post("/join")
async def join():
    return await _rsvp("Join")


@control.post("/leave")
async def leave():
    return await _rsvp("Leave")


app.register_blueprint(control)
