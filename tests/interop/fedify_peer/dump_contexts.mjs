// Prints, as one JSON object {url: document}, the JSON-LD contexts that Fedify
// ships preloaded.  install_peers.sh saves it for the bovine-herd peer, whose
// JSON-LD library would otherwise fetch these contexts from the internet,
// which the interop tests must never touch.  Run from the folder holding
// Fedify's node_modules:  node --input-type=module < dump_contexts.mjs
import { fetchDocumentLoader } from "@fedify/fedify";

// Fedify answers these from memory; any real fetch would be a bug, so fail it.
globalThis.fetch = async (input) => {
  throw new Error(`dump_contexts: refusing network fetch of ${input}`);
};

const urls = [
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  "https://w3id.org/security/data-integrity/v1",
  "https://w3id.org/security/data-integrity/v2",
  "https://www.w3.org/ns/did/v1",
  "https://w3id.org/security/multikey/v1",
  "https://w3id.org/identity/v1",
  "https://purl.archive.org/socialweb/webfinger",
  "http://schema.org/",
  "https://gotosocial.org/ns",
  "https://w3id.org/fep/5711",
];

const out = {};
for (const url of urls) {
  try {
    out[url] = (await fetchDocumentLoader(url)).document;
  } catch (error) {
    console.error(`dump_contexts: ${url} is not preloaded by this Fedify: ${error.message}`);
  }
}
if (!out["https://w3id.org/security/v1"]) {
  console.error("dump_contexts: the security context is missing; Fedify changed its preloads");
  process.exit(1);
}
process.stdout.write(JSON.stringify(out));
