// A one-actor ActivityPub server built with Fedify, for fedchapter's interop
// tests.  It is a real, independent implementation: everything it receives is
// parsed by Fedify's own vocabulary classes, and everything it sends is signed
// and delivered by Fedify (RFC 9421 first, draft-cavage on a 4xx/5xx: Fedify's
// "double-knocking", on by default in 1.10 and deliberately left on here).
//
//   node peer.mjs PORT          (or PEER_PORT=PORT node peer.mjs)
//
// It listens on 127.0.0.1 only.  The actor is http://127.0.0.1:PORT/users/alice
// (handle @alice@127.0.0.1:PORT).  A small control API under /control/ lets a
// test drive the actor; see tests/interop/README.md.
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { AsyncLocalStorage } from "node:async_hooks";
import {
  Accept, Activity, Article, Create, Delete, Endpoints, Event, Follow, Group, Join, Leave, Note,
  Object as APObject, Person, PUBLIC_COLLECTION, Question, Reject, Tombstone, Undo,
  createFederation, generateCryptoKeyPair, isActor, lookupWebFinger,
  MemoryKvStore, verifyRequest,
} from "@fedify/fedify";
import { configure, getConsoleSink } from "@logtape/logtape";
import { Temporal } from "@js-temporal/polyfill";

const PORT = Number(process.argv[2] ?? process.env.PEER_PORT ?? 0);
if (!Number.isInteger(PORT) || PORT <= 0) {
  console.error("usage: node peer.mjs PORT");
  process.exit(2);
}
const HOST = "127.0.0.1";
// With PEER_TLS_CERT/PEER_TLS_KEY (the test session's CA-signed certificate)
// the peer speaks only HTTPS, as deployed servers do; the fixture points
// NODE_EXTRA_CA_CERTS at that CA so Node's fetch trusts the other servers.
const TLS = process.env.PEER_TLS_CERT
  ? { cert: readFileSync(process.env.PEER_TLS_CERT), key: readFileSync(process.env.PEER_TLS_KEY) }
  : null;
const ORIGIN = `${TLS ? "https" : "http"}://${HOST}:${PORT}`;
const USERNAME = process.env.PEER_USERNAME || "alice";
// PEER_ACTOR_TYPE=Group: the actor is a group (plays another chapter).
const ACTOR_CLASS = process.env.PEER_ACTOR_TYPE === "Group" ? Group : Person;
// PEER_STRICT_RFC9421=1: refuse draft-cavage signatures with 401, as a server
// that verifies only RFC 9421 would (checks that senders fall back to it).
const STRICT_RFC9421 = process.env.PEER_STRICT_RFC9421 === "1";

// ---------------------------------------------------------------- logging --
// Fedify logs through LogTape.  Its signature-related records (which spec was
// tried, double-knock fallbacks, verification failures) are kept in memory so
// a test can ask for them; everything at info and above also goes to stderr,
// which the test fixture writes to a log file.
const logRecords = [];
const memorySink = (record) => {
  if (logRecords.length >= 2000) logRecords.shift();
  logRecords.push({
    category: record.category.join("."),
    level: record.level,
    message: record.message.map((part) => typeof part === "string" ? part : safeString(part)).join(""),
  });
};
await configure({
  contextLocalStorage: new AsyncLocalStorage(),
  sinks: { console: getConsoleSink(), memory: memorySink },
  loggers: [
    { category: ["fedify", "sig"], lowestLevel: "debug", sinks: ["memory"] },
    { category: ["fedify"], lowestLevel: "info", sinks: ["console", "memory"] },
    { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
  ],
});

function safeString(value) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof URL) return value.href;
  try { return typeof value === "object" ? JSON.stringify(value) : String(value); }
  catch { return String(value); }
}

// ------------------------------------------------------- loopback only --
// These tests may talk to loopback addresses only, so every fetch elsewhere
// fails here (Fedify answers the common JSON-LD contexts from its preloaded
// copies; an object whose @context names another remote URL shows up as a
// parse error, which is what such an object would cause offline anyway).
//
// Fedify (like Mastodon) looks up acct: handles over https only.  Without
// PEER_TLS_CERT (a plain-http run by hand) WebFinger requests to a loopback
// host go over http instead; in the tests every server speaks TLS, so
// nothing is rewritten and discovery is tested as deployed.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const loopback = url.hostname === "localhost" || url.hostname.startsWith("127.") || url.hostname === "[::1]";
  if (!loopback) {
    return Promise.reject(new TypeError(`fedify peer: refusing non-loopback fetch of ${url.href}`));
  }
  if (!TLS && url.protocol === "https:" && url.pathname === "/.well-known/webfinger") {
    url.protocol = "http:";
    return realFetch(input instanceof Request ? new Request(url, input) : url, init);
  }
  return realFetch(input, init);
};

// ------------------------------------------------------------------ state --
const kv = new MemoryKvStore();
const keyPairs = [
  await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"), // draft-cavage and RFC 9421
  await generateCryptoKeyPair("Ed25519"),           // Object Integrity Proofs
];
const followers = new Map();  // actor id -> {id, inboxId, endpoints}
const following = new Map();  // actor id -> {follow: Follow id, state: pending|accepted|rejected}
const published = new Map();  // id -> Note or activity this actor made
const received = [];          // one record per activity that reached the inbox
const fetches = [];           // one record per signed GET others made here
// Per inbox request: the HTTP signature scheme the sender used.  Fedify
// processes an activity inside the request that carried it (no queue is
// configured), so AsyncLocalStorage ties the listener's record to its request.
const requestInfo = new AsyncLocalStorage();

// ------------------------------------------------------------- federation --
const federation = createFederation({
  kv,
  // Loopback and private addresses are refused by default (SSRF protection);
  // every peer in these tests lives on 127.0.0.1.
  allowPrivateAddress: true,
  // No message queue: activities are delivered while the control request
  // waits, so a test sees a delivery failure as an error right away.
  // firstKnock is left at its default, "rfc9421".
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== USERNAME) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new ACTOR_CLASS({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: `${USERNAME} (Fedify peer)`,
      summary: "Fedify interop peer for fedchapter tests",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      followers: ctx.getFollowersUri(identifier),
      following: ctx.getFollowingUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      manuallyApprovesFollowers: false,
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((key) => key.multikey),
    });
  })
  .mapHandle((_ctx, username) => username === USERNAME ? USERNAME : null)
  .setKeyPairsDispatcher((_ctx, identifier) => identifier === USERNAME ? keyPairs : []);

federation.setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) => {
  if (identifier !== USERNAME) return null;
  return { items: [...followers.values()] };
});

federation.setFollowingDispatcher("/users/{identifier}/following", (_ctx, identifier) => {
  if (identifier !== USERNAME) return null;
  return {
    items: [...following.entries()]
      .filter(([, entry]) => entry.state === "accepted")
      .map(([id]) => new URL(id)),
  };
});

federation.setOutboxDispatcher("/users/{identifier}/outbox", (_ctx, identifier) => {
  if (identifier !== USERNAME) return null;
  return { items: [] };
});

// Everything this actor published is dereferenceable, so a server that
// fetches an object from its origin (fedchapter does for foreign ids, bovine
// does for an Accept's Follow) can.
for (const [cls, path] of [[Note, "/notes/{id}"], [Question, "/questions/{id}"],
                           [Event, "/events/{id}"], [Article, "/articles/{id}"],
                           [Follow, "/follows/{id}"],
                           [Join, "/joins/{id}"], [Leave, "/leaves/{id}"], [Undo, "/undos/{id}"],
                           [Accept, "/accepts/{id}"], [Delete, "/deletes/{id}"]]) {
  federation.setObjectDispatcher(cls, path, (ctx, values) =>
    published.get(ctx.getObjectUri(cls, values).href) ?? null);
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  // Fetches made while handling shared-inbox deliveries are signed as alice:
  // servers in authorized-fetch mode (bovine-herd, fedchapter) require it.
  .setSharedKeyDispatcher(() => ({ identifier: USERNAME }))
  // Deduplicate an activity id per receiving inbox (Fedify 2.0's default),
  // so what reaches the shared inbox and alice's inbox is recorded apart.
  .withIdempotency("per-inbox")
  // Activity is the root of the vocabulary, so this one listener sees every
  // type Fedify could parse; types it cannot parse are recorded by the HTTP
  // wrapper below.
  .on(Activity, async (ctx, activity) => {
    const entry = await describeActivity(ctx, activity);
    // React first, record last: once a test sees the entry, the follower
    // lists are updated and the Accept has been delivered.
    try {
      if (activity instanceof Follow) await acceptFollow(ctx, activity);
      else if (activity instanceof Accept || activity instanceof Reject) updateFollowing(entry, activity);
      else if (activity instanceof Undo && entry.object_type === "Follow" && entry.actor) {
        followers.delete(entry.actor);
      }
    } catch (error) {
      entry.error = `reacting to ${entry.type} failed: ${safeString(error)}`;
    } finally {
      received.push(entry);
    }
  })
  .onError((_ctx, error) => {
    received.push({
      type: null, id: null, actor: null, parsed_ok: false, object_type: null, object_id: null,
      name: null, object: null, error: `inbox listener: ${safeString(error)}`,
      signature: requestInfo.getStore()?.signature ?? null, raw: requestInfo.getStore()?.raw ?? null,
    });
  });

// Summarise an activity as the tests need it.  `parsed_ok` means Fedify's
// vocabulary classes parsed the activity and its object without an error.
async function describeActivity(ctx, activity) {
  const info = requestInfo.getStore() ?? {};
  const entry = {
    type: typeName(activity),
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    parsed_ok: true,
    object_type: null,
    object_id: activity.objectId?.href ?? null,
    name: null,
    object: null,
    error: null,
    signature: info.signature ?? null,
    raw: info.raw ?? null,
  };
  // A Delete usually names an object that now answers 410 Gone: fetching it
  // would report a failure that is in fact the expected outcome.
  if (activity instanceof Delete && typeof info.raw?.object === "string") return entry;
  try {
    // The personal inbox's context loader is already signed as alice.
    const object = await activity.getObject({ documentLoader: ctx.documentLoader });
    if (object != null) {
      entry.object_type = typeName(object);
      entry.object_id = object.id?.href ?? entry.object_id;
      entry.object = await describeObject(object);
      entry.name = entry.object.name;
    }
  } catch (error) {
    entry.parsed_ok = false;
    entry.error = safeString(error);
  }
  return entry;
}

async function describeObject(object) {
  // Question is an (intransitive) Activity in the vocabulary, but is
  // described as the poll it is.
  if (object instanceof Activity && !(object instanceof Question)) {
    return { type: typeName(object), id: object.id?.href ?? null, actor: object.actorId?.href ?? null,
             object: object.objectId?.href ?? null, name: null };
  }
  const text = (value) => value == null ? null : value.toString();
  const described = {
    type: typeName(object),
    id: object.id?.href ?? null,
    name: text(object.name),
    summary: text(object.summary),
    content: text(object.content),
    url: object.url?.href ?? null,
    attributedTo: object.attributionId?.href ?? null,
    inReplyTo: object.replyTargetId?.href ?? null,
    startTime: text(object.startTime),
    endTime: text(object.endTime),
    to: object.toIds?.map((u) => u.href) ?? [],
    cc: object.ccIds?.map((u) => u.href) ?? [],
  };
  if (!isActor(object)) {
    const location = await object.getLocation().catch(() => null);
    described.location = location == null ? null
      : { type: typeName(location), name: text(location.name) };
  }
  if (!isActor(object) && !(object instanceof Question)) {
    // Pictures and documents as Fedify's vocabulary reads them (`image`, `attachment`).
    described.image = null;
    described.attachments = [];
    try {
      const image = await object.getImage().catch(() => null);
      described.image = image == null ? null : describeMedia(image);
      for await (const item of object.getAttachments()) described.attachments.push(describeMedia(item));
    } catch (error) {
      described.mediaError = safeString(error);
    }
  }
  if (isActor(object)) {
    described.preferredUsername = text(object.preferredUsername);
    described.inbox = object.inboxId?.href ?? null;
  }
  if (object instanceof Question) {
    // Options are usually embedded Notes with a replies.totalItems count.
    const options = async (iterable, multiple) => {
      const out = [];
      for await (const option of iterable) {
        const replies = await option.getReplies().catch(() => null);
        out.push({ name: text(option.name), count: replies?.totalItems ?? null, multiple });
      }
      return out;
    };
    described.options = [
      ...await options(object.getExclusiveOptions(), false),
      ...await options(object.getInclusiveOptions(), true),
    ];
    described.voters = object.voters ?? null;
    described.closed = text(object.closed);
  }
  return described;
}

function describeMedia(item) {
  const url = item.url instanceof URL ? item.url.href : item.url?.href?.href ?? item.url?.href ?? null;
  return {
    type: typeName(item),
    mediaType: item.mediaType ?? null,
    url,
    name: item.name == null ? null : item.name.toString(),
    width: item.width ?? null,
    height: item.height ?? null,
  };
}

function typeName(object) {
  return object.constructor?.typeId?.href?.split(/[#/]/).pop() ?? object.constructor?.name ?? "?";
}

async function acceptFollow(ctx, follow) {
  const follower = await follow.getActor({ documentLoader: ctx.documentLoader });
  if (!isActor(follower) || follower.id == null || follower.inboxId == null) return;
  followers.set(follower.id.href, {
    id: follower.id, inboxId: follower.inboxId, endpoints: follower.endpoints,
  });
  await publish(ctx, follower, new Accept({
    id: newId("accepts"),
    actor: ctx.getActorUri(USERNAME),
    object: follow,
    to: follower.id,
  }));
}

function updateFollowing(entry, activity) {
  // An Accept/Reject names the Follow (embedded or by id); some servers send
  // one whose object cannot be resolved, so then the sender decides.  An
  // Accept of anything else (a Join) leaves the follow alone.
  const state = activity instanceof Accept ? "accepted" : "rejected";
  for (const [target, item] of following) {
    const sameFollow = item.follow === entry.object_id;
    const fromTarget = target === entry.actor && (entry.object_type ?? "Follow") === "Follow";
    if (sameFollow || fromTarget) item.state = state;
  }
}

// --------------------------------------------------------- control API ----
function json(status, body) {
  return new Response(JSON.stringify(body), {
    status, headers: { "content-type": "application/json" },
  });
}

async function signedLoader(ctx) {
  return await ctx.getDocumentLoader({ identifier: USERNAME });
}

// Accept an actor URL or a handle (@name@host or name@host).
async function resolveActor(ctx, target) {
  const actor = await ctx.lookupObject(target, { documentLoader: await signedLoader(ctx) });
  if (!isActor(actor)) throw new Error(`not an actor: ${target}`);
  return actor;
}

async function resolveObject(ctx, url) {
  const object = await ctx.lookupObject(url, { documentLoader: await signedLoader(ctx) });
  if (object == null) throw new Error(`could not fetch ${url}`);
  return object;
}

// The actor an object belongs to: its attributedTo, else its audience (an
// Event's chapter).
async function ownerOf(ctx, object) {
  const ownerId = object.attributionId ?? object.audienceId;
  if (ownerId == null) throw new Error(`${object.id?.href} has no attributedTo`);
  return await resolveActor(ctx, ownerId.href);
}

function newId(kind) {
  return new URL(`${ORIGIN}/${kind}/${randomUUID()}`);
}

// Remember an outgoing activity so its id can be dereferenced, then send it.
async function publish(ctx, recipients, activity) {
  published.set(activity.id.href, activity);
  await ctx.sendActivity(sender, recipients, activity);
}

function newNote(ctx, { content, name, inReplyTo, to, cc, summary, sensitive }) {
  const id = new URL(`${ORIGIN}/notes/${randomUUID()}`);
  const note = new Note({
    id,
    attribution: ctx.getActorUri(USERNAME),
    content: content ?? null,
    name: name ?? null,
    // A content warning as Mastodon sends one: the warning in summary.
    summary: summary ?? null,
    sensitive: sensitive ?? null,
    replyTarget: inReplyTo ? new URL(inReplyTo) : null,
    tos: (to ?? []).map((u) => new URL(u)),
    ccs: (cc ?? []).map((u) => new URL(u)),
    published: Temporal.Now.instant(),
  });
  published.set(id.href, note);
  return note;
}

function createFor(ctx, object) {
  return new Create({
    id: new URL(`${object.id.href}#create`),
    actor: ctx.getActorUri(USERNAME),
    object,
    tos: object.toIds,
    ccs: object.ccIds,
  });
}

const sender = { identifier: USERNAME };

const routes = {
  "GET /control/ready": async (ctx) => json(200, {
    actor: ctx.getActorUri(USERNAME).href,
    handle: `@${USERNAME}@${HOST}:${PORT}`,
    inbox: ctx.getInboxUri(USERNAME).href,
    shared_inbox: ctx.getInboxUri().href,
  }),

  "GET /control/received": async () => json(200, received),

  "GET /control/followers": async () => json(200, [...followers.keys()]),

  "GET /control/following": async () => json(200, Object.fromEntries(following)),

  "GET /control/logs": async () => json(200, logRecords),

  // Signed GETs other servers made of this peer's actor and objects, each
  // checked by Fedify's own verifier (Fedify itself does not require them).
  "GET /control/fetches": async () => json(200, fetches),

  // Which HTTP signature spec Fedify settled on for an origin after its last
  // delivery or signed fetch there: "rfc9421" means the first knock was
  // accepted; "draft-cavage-http-signatures-12" means it fell back.
  "GET /control/spec": async (_ctx, _body, url) => {
    const origin = new URL(url.searchParams.get("origin")).origin;
    const spec = await kv.get(["_fedify", "httpMessageSignaturesSpec", origin]);
    return json(200, { origin, spec: spec ?? null });
  },

  "GET /control/webfinger": async (_ctx, _body, url) => {
    const resource = url.searchParams.get("resource");
    const jrd = await lookupWebFinger(resource, { allowPrivateAddress: true });
    if (jrd == null) return json(404, { error: `no WebFinger answer for ${resource}` });
    const self = jrd.links?.find((link) => link.rel === "self" &&
      /^application\/(activity\+json|ld\+json)/.test(link.type ?? ""));
    return json(200, { resource, actor: self?.href ?? null, jrd });
  },

  // Signed GET through Fedify's authenticated document loader (double-knock
  // applies), then parsed with Fedify's vocabulary.
  "GET /control/fetch": async (ctx, _body, url) => {
    const target = url.searchParams.get("url");
    const loader = await signedLoader(ctx);
    const { document } = await loader(target);
    let parsed = null, parsedOk = true, error = null;
    try {
      const object = await ctx.lookupObject(target, { documentLoader: loader });
      if (object == null) throw new Error("Fedify could not parse the document");
      parsed = await describeObject(object);
    } catch (e) {
      parsedOk = false; error = safeString(e);
    }
    return json(200, { url: target, parsed_ok: parsedOk, error, object: parsed, document });
  },

  "POST /control/follow": async (ctx, body) => {
    const target = await resolveActor(ctx, body.target);
    const follow = new Follow({
      id: newId("follows"), actor: ctx.getActorUri(USERNAME), object: target.id, to: target.id,
    });
    following.set(target.id.href, { follow: follow.id.href, state: "pending" });
    await publish(ctx, target, follow);
    return json(200, { id: follow.id.href, target: target.id.href });
  },

  "POST /control/unfollow": async (ctx, body) => {
    const target = await resolveActor(ctx, body.target);
    const entry = following.get(target.id.href);
    if (entry == null) return json(404, { error: `not following ${target.id.href}` });
    const undo = new Undo({
      id: newId("undos"), actor: ctx.getActorUri(USERNAME), to: target.id,
      object: new Follow({ id: new URL(entry.follow), actor: ctx.getActorUri(USERNAME), object: target.id }),
    });
    following.delete(target.id.href);
    await publish(ctx, target, undo);
    return json(200, { id: undo.id.href, target: target.id.href });
  },

  // A public Note to the followers, and to any extra actors named in `to`.
  "POST /control/post": async (ctx, body) => {
    const extra = await Promise.all((body.to ?? []).map((t) => resolveActor(ctx, t)));
    const note = newNote(ctx, {
      content: body.content,
      to: [PUBLIC_COLLECTION.href, ...extra.map((a) => a.id.href)],
      cc: [ctx.getFollowersUri(USERNAME).href],
    });
    const create = createFor(ctx, note);
    if (followers.size > 0) await ctx.sendActivity(sender, "followers", create);
    if (extra.length > 0) await ctx.sendActivity(sender, extra, create);
    return json(200, { id: create.id.href, object: note.id.href });
  },

  // Publish any Note, Question, Event or Article given as JSON (the peer sets
  // id, attributedTo and addressing): public, to the followers and `to`.
  // The JSON goes through Fedify's parser, so what is sent is what Fedify
  // understood of it.
  "POST /control/create": async (ctx, body) => {
    const paths = { Note: "notes", Question: "questions", Event: "events", Article: "articles" };
    const kind = paths[body.object?.type];
    if (kind == null) return json(400, { error: `type must be one of ${Object.keys(paths)}` });
    const extra = await Promise.all((body.to ?? []).map((t) => resolveActor(ctx, t)));
    const id = newId(kind);
    const object = await APObject.fromJsonLd({
      "@context": "https://www.w3.org/ns/activitystreams",
      ...body.object,
      id: id.href,
      attributedTo: ctx.getActorUri(USERNAME).href,
      to: [PUBLIC_COLLECTION.href, ...extra.map((a) => a.id.href)],
      cc: [ctx.getFollowersUri(USERNAME).href],
    }, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
    published.set(id.href, object);
    const create = createFor(ctx, object);
    if (followers.size > 0) await ctx.sendActivity(sender, "followers", create);
    if (extra.length > 0) await ctx.sendActivity(sender, extra, create);
    return json(200, { id: create.id.href, object: id.href });
  },

  // Delete an object this actor published: Delete(Tombstone) to the
  // followers and to every actor the object was addressed to.  The object's
  // URL then answers 404 (Fedify's object dispatcher cannot answer 410).
  "POST /control/delete": async (ctx, body) => {
    const object = published.get(body.object);
    if (object == null) return json(404, { error: `${body.object} is not this actor's` });
    published.delete(body.object);
    const special = new Set([PUBLIC_COLLECTION.href, ctx.getFollowersUri(USERNAME).href]);
    const addressed = [...object.toIds, ...object.ccIds].map((u) => u.href).filter((u) => !special.has(u));
    const recipients = await Promise.all(addressed.map((u) => resolveActor(ctx, u)));
    const del = new Delete({
      id: newId("deletes"), actor: ctx.getActorUri(USERNAME),
      object: new Tombstone({ id: object.id }), tos: object.toIds, ccs: object.ccIds,
    });
    await publish(ctx, recipients, del);
    if (followers.size > 0) await ctx.sendActivity(sender, "followers", del);
    return json(200, { id: del.id.href, object: body.object });
  },

  // A public reply, delivered to the actors in `to` (default: the owner of
  // the object replied to).
  "POST /control/reply": async (ctx, body) => {
    const targets = body.to?.length
      ? await Promise.all(body.to.map((t) => resolveActor(ctx, t)))
      : [await ownerOf(ctx, await resolveObject(ctx, body.inReplyTo))];
    const note = newNote(ctx, {
      content: body.content, inReplyTo: body.inReplyTo, summary: body.summary,
      sensitive: body.sensitive, to: [PUBLIC_COLLECTION.href], cc: targets.map((a) => a.id.href),
    });
    const create = createFor(ctx, note);
    await ctx.sendActivity(sender, targets, create);
    return json(200, { id: create.id.href, object: note.id.href });
  },

  // A Mastodon-style poll vote: one Create(Note{name: option, inReplyTo:
  // question}) per choice, addressed and delivered only to the poll's owner.
  "POST /control/vote": async (ctx, body) => {
    const question = await resolveObject(ctx, body.question);
    const owner = await ownerOf(ctx, question);
    const choices = body.choices ?? [body.choice];
    const ids = [];
    for (const choice of choices) {
      const note = newNote(ctx, { name: choice, inReplyTo: question.id.href, to: [owner.id.href] });
      const create = createFor(ctx, note);
      await ctx.sendActivity(sender, owner, create);
      ids.push({ id: create.id.href, object: note.id.href });
    }
    return json(200, { votes: ids, owner: owner.id.href });
  },

  // RSVP: Join{object: EVENT} to the event's organiser (its attributedTo).
  "POST /control/join": async (ctx, body) => rsvp(ctx, body, Join),
  "POST /control/leave": async (ctx, body) => rsvp(ctx, body, Leave),
};

async function rsvp(ctx, body, Cls) {
  const event = await resolveObject(ctx, body.event);
  const owner = body.to ? await resolveActor(ctx, body.to) : await ownerOf(ctx, event);
  const activity = new Cls({
    id: newId(Cls === Join ? "joins" : "leaves"),
    actor: ctx.getActorUri(USERNAME), object: event.id, to: owner.id,
  });
  await publish(ctx, owner, activity);
  return json(200, { id: activity.id.href, owner: owner.id.href });
}

async function handleControl(request, url) {
  const route = routes[`${request.method} ${url.pathname}`];
  if (route == null) return json(404, { error: `no control route ${request.method} ${url.pathname}` });
  const ctx = federation.createContext(new URL(ORIGIN), undefined);
  const body = request.method === "POST" ? await request.json() : null;
  try {
    return await route(ctx, body, url);
  } catch (error) {
    // A failed delivery or fetch is the peer's honest answer, not a crash.
    console.error(`control ${url.pathname} failed:`, error);
    return json(502, { error: safeString(error) });
  }
}

// ---------------------------------------------------------- HTTP server ----
// Verify a signed GET with Fedify's verifier (the spec its headers say) and
// record who signed it, so a test can check another server's signed fetches.
async function recordSignedFetch(request, url) {
  const rfc9421 = request.headers.has("signature-input");
  // The key the signer names (draft-cavage keyId, RFC 9421 keyid), even when
  // verification fails, so a test can tell "unsigned" from "badly signed".
  const header = request.headers.get(rfc9421 ? "signature-input" : "signature") ?? "";
  const entry = {
    url: url.href, signature: rfc9421 ? "rfc9421" : "draft-cavage",
    claimed_key: header.match(/keyid="([^"]*)"/i)?.[1] ?? null,
    verified: false, key: null, owner: null, error: null,
  };
  try {
    const ctx = federation.createContext(new URL(ORIGIN), undefined);
    const key = await verifyRequest(request.clone(), {
      documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader,
      spec: rfc9421 ? "rfc9421" : "draft-cavage-http-signatures-12",
    });
    entry.verified = key != null;
    entry.key = key?.id?.href ?? null;
    entry.owner = key?.ownerId?.href ?? null;
  } catch (error) {
    entry.error = safeString(error);
  }
  fetches.push(entry);
}

// Record inbox POSTs Fedify refused (bad signature, unparseable JSON-LD) so a
// test can see *why* an activity was not taken.
async function handleFederation(request) {
  const url = new URL(request.url);
  const isInbox = request.method === "POST" && (url.pathname === "/inbox" || url.pathname.endsWith("/inbox"));
  if (request.method === "GET" && (request.headers.has("signature") || request.headers.has("signature-input"))) {
    await recordSignedFetch(request, url);
  }
  if (STRICT_RFC9421 && request.headers.has("signature") && !request.headers.has("signature-input")) {
    const refused = new Response("draft-cavage signatures are not accepted here; sign with RFC 9421",
                                 { status: 401, headers: { "content-type": "text/plain" } });
    if (!isInbox) return refused;
    const raw = await request.clone().text();
    let parsed = null;
    try { parsed = JSON.parse(raw); } catch { /* recorded as null */ }
    received.push({
      type: parsed?.type ?? null, id: parsed?.id ?? null, actor: null, parsed_ok: false,
      object_type: null, object_id: null, name: null, object: null,
      error: "HTTP 401: draft-cavage refused (PEER_STRICT_RFC9421)", signature: "draft-cavage",
      raw: parsed,
    });
    return refused;
  }
  if (!isInbox) return await federation.fetch(request, { contextData: undefined });
  const raw = await request.clone().text();
  let parsedJson = null;
  try { parsedJson = JSON.parse(raw); } catch { /* recorded below */ }
  const info = {
    signature: request.headers.has("signature-input") ? "rfc9421"
      : request.headers.has("signature") ? "draft-cavage" : null,
    raw: parsedJson,
  };
  const before = received.length;
  const response = await requestInfo.run(info, () => federation.fetch(request, { contextData: undefined }));
  if (response.status >= 400 && received.length === before) {
    const text = await response.clone().text();
    received.push({
      type: parsedJson?.type ?? null, id: parsedJson?.id ?? null, actor: null,
      parsed_ok: false, object_type: null, object_id: null, name: null, object: null,
      error: `HTTP ${response.status}: ${text.slice(0, 300)}`,
      signature: info.signature, raw: parsedJson,
    });
  }
  return response;
}

const handler = async (req, res) => {
  try {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length ? Buffer.concat(chunks) : null;
    const url = new URL(req.url, ORIGIN);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
      else if (value != null) headers.set(name, value);
    }
    const request = new Request(url, {
      method: req.method, headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
    const response = url.pathname.startsWith("/control/")
      ? await handleControl(request, url)
      : await handleFederation(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    console.error("request failed:", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(error));
  }
};
const server = TLS ? https.createServer(TLS, handler) : http.createServer(handler);

server.listen(PORT, HOST, () => {
  console.error(`fedify peer: ${ORIGIN}/users/${USERNAME} ready`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => { server.close(); process.exit(0); });
}
