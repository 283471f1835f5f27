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
import { randomUUID } from "node:crypto";
import { AsyncLocalStorage } from "node:async_hooks";
import {
  Accept, Activity, Announce, Create, Endpoints, Follow, Join, Leave, Note,
  Person, PUBLIC_COLLECTION, Question, Reject, Undo,
  createFederation, generateCryptoKeyPair, isActor, lookupWebFinger,
  MemoryKvStore,
} from "@fedify/fedify";
import { configure, getConsoleSink } from "@logtape/logtape";
import { Temporal } from "@js-temporal/polyfill";

const PORT = Number(process.argv[2] ?? process.env.PEER_PORT ?? 0);
if (!Number.isInteger(PORT) || PORT <= 0) {
  console.error("usage: node peer.mjs PORT");
  process.exit(2);
}
const HOST = "127.0.0.1";
const ORIGIN = `http://${HOST}:${PORT}`;
const USERNAME = "alice";

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

// ---------------------------------------------------- loopback WebFinger --
// Fedify (like Mastodon) always looks up acct: handles over https.  Nothing on
// loopback speaks TLS here, so WebFinger requests to a loopback host are sent
// over plain http instead.  Only WebFinger is rewritten: actor and object URLs
// are already http, and rewriting a signed request would break its signature.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const loopback = url.hostname === "localhost" || url.hostname.startsWith("127.");
  if (url.protocol === "https:" && loopback && url.pathname === "/.well-known/webfinger") {
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
const notes = new Map();      // note id -> Note (what this actor published)
const received = [];          // one record per activity that reached the inbox
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
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Alice (Fedify peer)",
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

// Notes this actor published are dereferenceable, so a server that insists on
// fetching an object from its origin (fedchapter does for foreign ids) can.
federation.setObjectDispatcher(Note, "/notes/{id}", (ctx, values) =>
  notes.get(ctx.getObjectUri(Note, values).href) ?? null);

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  // Fetches made while handling shared-inbox deliveries are signed as alice:
  // servers in authorized-fetch mode (bovine-herd, fedchapter) require it.
  .setSharedKeyDispatcher(() => ({ identifier: USERNAME }))
  // Activity is the root of the vocabulary, so this one listener sees every
  // type Fedify could parse; types it cannot parse are recorded by the HTTP
  // wrapper below.
  .on(Activity, async (ctx, activity) => {
    const entry = await describeActivity(ctx, activity);
    received.push(entry);
    if (activity instanceof Follow) await acceptFollow(ctx, activity);
    else if (activity instanceof Accept || activity instanceof Reject) updateFollowing(entry, activity);
    else if (activity instanceof Undo && entry.object_type === "Follow" && entry.actor) {
      followers.delete(entry.actor);
    }
  })
  .onError((_ctx, error) => {
    received.push({ parsed_ok: false, error: safeString(error), stage: "listener" });
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
  if (object instanceof Activity) {
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

function typeName(object) {
  return object.constructor?.typeId?.href?.split(/[#/]/).pop() ?? object.constructor?.name ?? "?";
}

async function acceptFollow(ctx, follow) {
  const follower = await follow.getActor({ documentLoader: ctx.documentLoader });
  if (!isActor(follower) || follower.id == null || follower.inboxId == null) return;
  followers.set(follower.id.href, {
    id: follower.id, inboxId: follower.inboxId, endpoints: follower.endpoints,
  });
  await ctx.sendActivity({ identifier: USERNAME }, follower, new Accept({
    id: new URL(`${ORIGIN}/activities/${randomUUID()}`),
    actor: ctx.getActorUri(USERNAME),
    object: follow,
    to: follower.id,
  }));
}

function updateFollowing(entry, activity) {
  // An Accept/Reject names the Follow (embedded or by id) or, from some
  // servers, only the followed actor.
  const state = activity instanceof Accept ? "accepted" : "rejected";
  for (const [target, item] of following) {
    if (item.follow === entry.object_id || target === entry.actor) item.state = state;
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

// The actor an object belongs to: attributedTo, else the owner of an
// Event-like object's audience.
async function ownerOf(ctx, object) {
  const ownerId = object.attributionId ?? object.audienceId;
  if (ownerId == null) throw new Error(`${object.id?.href} has no attributedTo`);
  return await resolveActor(ctx, ownerId.href);
}

function newId(kind) {
  return new URL(`${ORIGIN}/${kind}/${randomUUID()}`);
}

function newNote(ctx, { content, name, inReplyTo, to, cc }) {
  const id = new URL(`${ORIGIN}/notes/${randomUUID()}`);
  const note = new Note({
    id,
    attribution: ctx.getActorUri(USERNAME),
    content: content ?? null,
    name: name ?? null,
    replyTarget: inReplyTo ? new URL(inReplyTo) : null,
    tos: (to ?? []).map((u) => new URL(u)),
    ccs: (cc ?? []).map((u) => new URL(u)),
    published: Temporal.Now.instant(),
  });
  notes.set(id.href, note);
  return note;
}

function createFor(ctx, note) {
  return new Create({
    id: new URL(`${note.id.href}#create`),
    actor: ctx.getActorUri(USERNAME),
    object: note,
    tos: note.toIds,
    ccs: note.ccIds,
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
    return jrd == null ? json(404, { error: `no WebFinger answer for ${resource}` }) : json(200, jrd);
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
    await ctx.sendActivity(sender, target, follow);
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
    await ctx.sendActivity(sender, target, undo);
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

  // A public reply, delivered to the actors in `to` (default: the owner of
  // the object replied to).
  "POST /control/reply": async (ctx, body) => {
    const targets = body.to?.length
      ? await Promise.all(body.to.map((t) => resolveActor(ctx, t)))
      : [await ownerOf(ctx, await resolveObject(ctx, body.inReplyTo))];
    const note = newNote(ctx, {
      content: body.content, inReplyTo: body.inReplyTo,
      to: [PUBLIC_COLLECTION.href], cc: targets.map((a) => a.id.href),
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
  await ctx.sendActivity(sender, owner, activity);
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
// Record inbox POSTs Fedify refused (bad signature, unparseable JSON-LD) so a
// test can see *why* an activity was not taken.
async function handleFederation(request) {
  const url = new URL(request.url);
  const isInbox = request.method === "POST" && (url.pathname === "/inbox" || url.pathname.endsWith("/inbox"));
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

const server = http.createServer(async (req, res) => {
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
});

server.listen(PORT, HOST, () => {
  console.error(`fedify peer: ${ORIGIN}/users/${USERNAME} ready`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => { server.close(); process.exit(0); });
}
