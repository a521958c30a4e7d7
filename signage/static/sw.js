/* Service worker of the lobby screen: a TV that reboots while the server is down still
 * opens its page. Network first (a live server always wins), the last good copy when
 * the network fails. Only this origin's screen pages and static files are kept: the page,
 * its styles and fonts, and its ES modules (/static/js/…, imported and preloaded alike).
 *
 * Browsers run service workers only in a secure context: https, or http://localhost /
 * 127.0.0.1. On a plain-http LAN, start the TV's Chromium with
 * --unsafely-treat-insecure-origin-as-secure=http://SERVER:PORT (docs/kiosk.md).
 */
"use strict";

// A new name when the page's files change shape (v2: the ES modules under /static/js/),
// so copies of files the page no longer asks for do not stay on the TV forever.
const CACHE = "signage-screen-v2";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(
  caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()),
));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith("/screen/") && !url.pathname.startsWith("/static/")) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() => caches.match(request).then((cached) => cached || Response.error())),
  );
});
