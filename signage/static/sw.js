/* Service worker of the lobby screen: a TV that reboots while the server is down — or
 * while it accepts connections and never answers — still opens its page.
 *
 * - Versioned files (/static/v/<version>/…, whose address changes whenever any file
 *   does) and law messages' pictures (/images/<content hash>.<ext>): cache first; they
 *   never change under the same address.
 * - The page (/screen/<key>) and other static files: the network, but only for
 *   PAGE_TIMEOUT_MS; then the last good copy (and the network's answer, if it comes
 *   later, refreshes the copy for next time).
 * - Precache: the page sends its own address and files as soon as the worker is ready
 *   (screen.js), so the very first load is kept; no second load is needed.
 * - A new worker (a new CACHE name) deletes every older cache when it activates.
 * - An upgrade (the version handshake, screen.js): the page, told by its snapshot that the
 *   server runs other files, asks this worker to `prepare` that version; the worker fetches
 *   the new page, every versioned file it names and the fonts its styles load, and keeps
 *   the page only after all of them are kept; it answers ok only then, and the page
 *   reloads only on ok. A TV never reloads into a version half in its cache.
 * - Pruning: the versioned files of any other version than the page's own (and, while
 *   preparing, the one being prepared) are deleted from the cache.
 *
 * Browsers run service workers only in a secure context: https, or http://localhost /
 * 127.0.0.1. On a plain-http LAN, start the TV's Chromium with
 * --unsafely-treat-insecure-origin-as-secure=http://SERVER:PORT (docs/kiosk.md).
 */
"use strict";

const CACHE = "signage-screen-v4";
const PAGE_TIMEOUT_MS = 4000;
const PREPARE_FETCH_MS = 15000;   // one file of a new version, at most

// The version in a versioned file's address (/static/v/<version>/…), else null.
function versionOf(url) {
  const match = new URL(url, self.location.href).pathname.match(/^\/static\/v\/([^/]+)\//);
  return match ? match[1] : null;
}

// Delete the versioned files of every version not in `keep`.
async function prune(keep) {
  const cache = await caches.open(CACHE);
  const requests = await cache.keys();
  await Promise.all(requests.filter((request) => {
    const version = versionOf(request.url);
    return version !== null && !keep.includes(version);
  }).map((request) => cache.delete(request)));
}

// The same-origin addresses a page or a style sheet names (src/href, url(…)).
function addressesIn(text, base) {
  const found = new Set();
  const patterns = [/\b(?:src|href)\s*=\s*["']([^"']+)["']/g, /url\(\s*["']?([^"')]+)["']?\s*\)/g];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      try {
        const url = new URL(match[1], base);
        if (url.origin === self.location.origin) found.add(url.href);
      } catch (e) { /* not an address */ }
    }
  }
  return [...found];
}

function fetchSoon(url, init = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PREPARE_FETCH_MS);
  return fetch(url, { ...init, signal: controller.signal }).finally(() => clearTimeout(timer));
}

// Keep `url` (a file of `version`) unless kept already; its text when it is a style sheet.
async function keepFile(cache, url) {
  let response = await cache.match(url);
  if (!response) {
    response = await fetchSoon(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await cache.put(url, response.clone());
  }
  return new URL(url).pathname.endsWith(".css") ? response.text() : null;
}

// Every file of `version` the page at `pageUrl` needs, then the page itself: all or nothing.
async function prepare(pageUrl, version) {
  const cache = await caches.open(CACHE);
  const page = await fetchSoon(pageUrl, { cache: "no-store" });
  if (!page.ok) throw new Error(`${pageUrl}: ${page.status}`);
  const html = await page.clone().text();
  const files = addressesIn(html, pageUrl).filter((url) => versionOf(url) === version);
  if (!files.length) throw new Error(`the page is not of version ${version}`);
  const styles = await Promise.all(files.map((url) => keepFile(cache, url)));
  const more = new Set();
  files.forEach((url, i) => {
    if (styles[i] !== null) {
      addressesIn(styles[i], url).filter((u) => versionOf(u) === version).forEach((u) => more.add(u));
    }
  });
  await Promise.all([...more].map((url) => keepFile(cache, url)));
  await cache.put(pageUrl, page);   // last: a kept page always has its files
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(
  caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()),
));

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    // The page's own address and files, sent by the page once the worker is ready; the
    // files of other versions are no longer needed.
    const urls = data.urls.filter((u) => new URL(u, self.location.href).origin === self.location.origin);
    const own = [...new Set(urls.map(versionOf).filter(Boolean))];
    event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((url) =>
      cache.match(url).then((hit) => hit || fetch(url).then((response) => {
        if (response.ok) return cache.put(url, response);
        return undefined;
      }).catch(() => undefined)))))
      .then(() => (own.length ? prune(own) : undefined)));
  } else if (data.type === "prepare" && typeof data.page === "string" && typeof data.version === "string") {
    // The version handshake: answer {ok} on the port only once the new version is kept.
    const page = new URL(data.page, self.location.href);
    const port = event.ports && event.ports[0];
    const answer = (message) => { if (port) port.postMessage(message); };
    if (page.origin !== self.location.origin) { answer({ ok: false }); return; }
    event.waitUntil(prepare(page.href, data.version)
      .then(() => prune([data.version, data.current].filter(Boolean)))
      .then(() => answer({ ok: true, version: data.version }),
            (error) => answer({ ok: false, version: data.version, error: String(error) })));
  }
});

function keep(request, response) {
  if (response && response.ok) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

// The network within PAGE_TIMEOUT_MS, else the kept copy (else whatever the network says).
function networkThenCopy(event) {
  const request = event.request;
  const network = fetch(request).then((response) => keep(request, response));
  event.waitUntil(network.catch(() => undefined));
  const late = new Promise((resolve) => setTimeout(resolve, PAGE_TIMEOUT_MS, "late"));
  return Promise.race([network.catch(() => "failed"), late]).then((first) => {
    if (first !== "late" && first !== "failed") return first;
    return caches.match(request).then((copy) => copy || network.catch(() => Response.error()));
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/v/") || url.pathname.startsWith("/images/")) {
    event.respondWith(caches.match(request).then((copy) => copy
      || fetch(request).then((response) => keep(request, response))));
    return;
  }
  if (url.pathname.startsWith("/screen/") || url.pathname.startsWith("/static/")) {
    event.respondWith(networkThenCopy(event));
  }
});
