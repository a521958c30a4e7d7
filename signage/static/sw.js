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
 *
 * Browsers run service workers only in a secure context: https, or http://localhost /
 * 127.0.0.1. On a plain-http LAN, start the TV's Chromium with
 * --unsafely-treat-insecure-origin-as-secure=http://SERVER:PORT (docs/kiosk.md).
 */
"use strict";

const CACHE = "signage-screen-v3";
const PAGE_TIMEOUT_MS = 4000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(
  caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()),
));

// The page's own address and files, sent by the page once the worker is ready.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u) => new URL(u, self.location.href).origin === self.location.origin);
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((url) =>
    cache.match(url).then((hit) => hit || fetch(url).then((response) => {
      if (response.ok) return cache.put(url, response);
      return undefined;
    }).catch(() => undefined))))));
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
