/* Lobby screen client (protocol 1; see docs/protocol.md): the screen page's entry module.
 *
 * The server is the authority on what is shown: it sends a snapshot, then events
 * (`slide`, `notice.updated`, `playlist.changed`, …) with a per-zone `seq` (lib/live.js
 * keeps the protocol). This page never goes blank: it paints the last snapshot it kept
 * (localStorage) before the socket is even open, and while offline it goes on rotating
 * that playlist by itself, from the last `showing` it was told.
 *
 * Features of the screen are modules this one imports and hands every snapshot and
 * event to (`snapshot(msg)`, `event(msg)`): the queue panel and the ticker. A new one
 * is one more module in that list (and in SCREEN_MODULES, signage/web/screen.py).
 */

import { connectLive } from "./lib/live.js";
import { api } from "./lib/api.js";
import { byId } from "./lib/dom.js";
import { officeTime, WEEKDAY_NAMES } from "./lib/office-time.js";
import { ON_THE_SECOND_MS, runMastheadClock } from "./masthead.js";
import { createPagination } from "./slides.js";
import { createQueuePanel } from "./queue-panel.js";
import { createTicker } from "./ticker.js";
import { createAlerts } from "./alerts.js";
import * as speech from "./speech.js";

const LOCAL_GRACE_MS = 1500;     // no `slide` by until+grace: advance on our own
const KEY_CHECK_MS = 30000;      // after refused upgrades, ask at most this often whether we still exist
const STATUS_EVERY_MS = 60000;   // health report to the fleet page, besides each slide change
const STATUS_AFTER_OPEN_MS = 2000;   // the first report waits for the clock-sync pings
const NEWER_SERVER_RELOAD_MS = 300000;   // reload for a newer server at most this often
const PREPARE_TIMEOUT_MS = 120000;       // the worker keeping a new version, at most
const UPDATE_RETRY_MS = 60000;           // after a failed preparation, try again

const stage = byId("stage");
const slidesEl = byId("slides");
const linkEl = byId("link-state");
const progressEl = byId("progress");
const storageKey = `signage:snapshot:${stage.dataset.key}`;

const state = {
  slides: [],                    // [{id, notice_id, kind, title, duration, html}]
  showing: null,                 // {index, slide_id, started, until}
  office: null,
  fallbackTimer: null,
};

const live = connectLive({
  path: stage.dataset.wsPath,
  onSnapshot: (msg) => applySnapshot(msg, false),
  onEvent,
  onLink: setLink,
  onClose,
  essential: (msg) => msg.type === "queue.call",   // a citizen's call is never dropped
});
const now = live.now;
const time = officeTime(stage.dataset.timezone);
const pages = createPagination({ now });
const queue = createQueuePanel({ stage, panelEl: byId("queue-panel"), overlayEl: byId("call-overlay"),
                                 speech, time, now, storageKey });
const ticker = createTicker(byId("ticker"), { mode: stage.dataset.ticker });
const alerts = createAlerts({ stage, overlayEl: byId("alert-overlay"), speech, time, now });
const features = [queue, ticker, alerts];

// The one deliberate global: a handle for people (the devtools console) and the browser
// tests to look at this page's state. Nothing in these modules reads it.
// (Descriptors, not Object.assign: the getters must stay getters.)
window.signageScreen = Object.defineProperties(state, Object.getOwnPropertyDescriptors({
  now,
  queue: queue.state,
  alerts: alerts.state,
  layout: { settled: pages.settled, showPage: pages.showPage },
  ticker,
  get socket() { return live.socket; },
  get connected() { return live.connected; },
  get received() { return live.received; },
}));

function tell(kind, msg, ...more) {
  for (const feature of features) {
    try { feature[kind](msg, ...more); } catch (e) { console.error(`screen feature ${kind}`, e); }
  }
}

// ---- stage scaling: the design is fixed-size TV pixels --------------------------
function fit() {
  const w = stage.offsetWidth, h = stage.offsetHeight;
  const s = Math.min(window.innerWidth / w, window.innerHeight / h);
  const x = (window.innerWidth - w * s) / 2, y = (window.innerHeight - h * s) / 2;
  stage.style.transform = `translate(${x}px, ${y}px) scale(${s})`;
}
window.addEventListener("resize", fit);
fit();

runMastheadClock(stage, time, { now });

// ---- slides ---------------------------------------------------------------------
function sectionFor(slide) {
  const el = document.createElement("section");
  el.className = `slide slide-${slide.kind}`;
  el.dataset.slideId = slide.id;
  el.dataset.noticeId = slide.notice_id;
  el.innerHTML = slide.html;   // server-rendered, sanitised HTML only
  return el;
}

// The card shown when nothing is scheduled, or outside office hours.
function idleSection() {
  const el = document.createElement("section");
  el.className = "slide slide-welcome";
  el.dataset.slideId = "idle";
  return el;
}
function fillIdle(el, showing) {
  if (showing && showing.closed) {
    const hours = (state.office && state.office.hours) || {};
    const rows = Object.keys(hours).sort().map((d) =>
      `<li><b>${WEEKDAY_NAMES[d]}</b> ${hours[d].map((w) => w.join("–")).join(", ")}</li>`);
    el.innerHTML = "<h1>Ngoài giờ làm việc</h1><p>Hẹn gặp lại quý công dân trong giờ làm việc.</p>" +
      (rows.length ? `<ul class="office-hours">${rows.join("")}</ul>` : "");
    el.append(...officeContact());
    el.classList.add("is-closed");
  } else {
    // The office's own words (admin: Giờ làm việc page), as text, never as HTML.
    const office = state.office || {};
    const title = document.createElement("h1");
    title.textContent = office.welcome_title || "Kính chào quý công dân";
    const text = document.createElement("p");
    text.textContent = office.welcome_text || "Chúc quý vị một ngày tốt lành.";
    el.replaceChildren(title, text, ...officeContact());
    el.classList.remove("is-closed");
  }
}

// Where to find the office and whom to call (admin: Thông tin đơn vị), when set.
function officeContact() {
  const office = state.office || {};
  const lines = [office.address, office.hotline && `Đường dây nóng: ${office.hotline}`].filter(Boolean);
  if (!lines.length) return [];
  const p = document.createElement("p");
  p.className = "office-contact";
  lines.forEach((line, i) => { if (i) p.append(document.createElement("br")); p.append(line); });
  return [p];
}

function renderPlaylist() {
  slidesEl.replaceChildren(...state.slides.map(sectionFor), idleSection());
  // In the DOM now, so laid out: the pagination can measure and split a long one into pages.
  state.slides.forEach((slide, i) => pages.prepare(slidesEl.children[i], slide));
  show(state.showing || localShowing());
}

function show(showing) {
  if (!showing) showing = { slide_id: null, index: -1 };
  const last = state.showing;
  const onGlass = slidesEl.querySelector(".slide.is-current");
  if (last && showing.slide_id !== null && last.slide_id === showing.slide_id
      && last.started === showing.started && onGlass
      && onGlass.dataset.slideId === String(showing.slide_id)) {
    // The server's `slide` for the change this page already made at `until` by its own
    // (synced) clock: keep the glass as it is, take what comes next.
    state.showing = showing;
    if (showing.until) armFallback(showing);
    return;
  }
  state.showing = showing;
  const before = stage.dataset.currentSlide;
  stage.dataset.currentSlide = showing.slide_id === null ? (showing.closed ? "closed" : "idle")
                                                         : showing.slide_id;
  if (stage.dataset.currentSlide !== before) report();
  const idle = slidesEl.querySelector('[data-slide-id="idle"]');
  if (showing.slide_id === null && idle) fillIdle(idle, showing);
  for (const el of slidesEl.children) {
    const current = showing.slide_id === null ? el === idle
                                              : String(el.dataset.slideId) === String(showing.slide_id);
    el.classList.toggle("is-current", current);
    if (current && el !== idle) pages.enter(el, showing);  // flip pages within the slide's time
  }
  if (showing.until) {
    stepProgress(showing);
    armFallback(showing);
  }
}

// The bar under the slides fills over the slide's time in steps: its `transform` (scaleX)
// set by a timer on every whole second (of a longer slide, every few seconds: 60 steps at
// most), no transition. Never a width (issue 13: a width lays the page out again on every
// frame, ~10 s of a TV's CPU a minute) and never a running animation either: one that
// runs all the time makes the compositor produce 60 frames a second (~3 s of CPU a
// minute). A step costs one frame, the one the masthead's clock turns in anyway.
const PROGRESS_MAX_STEPS = 60;
let progressTimer = null;
function stepProgress(showing) {
  clearTimeout(progressTimer);
  const start = Date.parse(showing.started), end = Date.parse(showing.until);
  const total = Math.max(1, end - start);
  const step = 1000 * Math.max(1, Math.ceil(total / PROGRESS_MAX_STEPS / 1000));
  const tick = () => {
    const t = now(), done = Math.min(total, Math.max(0, t - start));
    progressEl.style.transform = `scaleX(${(done / total).toFixed(4)})`;
    if (done < total) progressTimer = setTimeout(tick, step - (t % step) + ON_THE_SECOND_MS);
  };
  tick();
}

// Where the rotation is now, computed from the last showing we were told: it goes on
// through the same active set (the server's schedule decides when that set changes).
function localShowing() {
  const last = state.showing;
  if (last && last.slide_id === null) {
    return { ...last, started: last.until, until: new Date(Date.parse(last.until) + 60000).toISOString() };
  }
  const ids = last && last.active && last.active.length ? last.active : state.slides.map((s) => s.id);
  const ring = ids.map((id) => state.slides.find((s) => s.id === id)).filter(Boolean);
  if (!ring.length) return null;
  let index = 0, started = now();
  if (last) {
    index = ring.findIndex((s) => s.id === last.slide_id);
    started = Date.parse(last.started);
    if (index < 0) { index = 0; started = now(); }
  }
  let until = started + ring[index].duration * 1000;
  let guard = 10000;
  while (until <= now() && guard-- > 0) {
    index = (index + 1) % ring.length;
    started = until;
    until = started + ring[index].duration * 1000;
  }
  const iso = (ms) => new Date(ms).toISOString();
  return { index, slide_id: ring[index].id, started: iso(started), until: iso(until),
           active: ids, closed: false };
}

function armFallback(showing) {
  clearTimeout(state.fallbackTimer);
  const next = showing.next;
  if (next && next.started === showing.until) {
    // One clock for the zone: change at the announced instant by the server's clock
    // (lib/live.js keeps it), not when the `slide` event happens to arrive, so every
    // screen of the zone changes together; the event then only confirms.
    state.fallbackTimer = setTimeout(() => show(next), Math.max(0, Date.parse(showing.until) - now()));
    return;
  }
  const wait = Date.parse(showing.until) - now() + (live.connected ? LOCAL_GRACE_MS : 0);
  state.fallbackTimer = setTimeout(() => show(localShowing()), Math.max(50, wait));
}

// ---- protocol -------------------------------------------------------------------
const forMe = (msg) => msg.screen_id === null || msg.screen_id === undefined
  || msg.screen_id === state.screenId;

// "Which TV is this?": its name and zone over everything, for a few seconds.
let identifyTimer = null;
function identify(msg) {
  let el = byId("identify-overlay");
  if (!el) {
    el = document.createElement("div");
    el.id = "identify-overlay";
    el.className = "identify-overlay";
    stage.append(el);
  }
  const name = document.createElement("p");
  name.className = "identify-name";
  name.textContent = msg.name;
  const zone = document.createElement("p");
  zone.className = "identify-zone";
  zone.textContent = msg.zone_name;
  el.replaceChildren(name, zone);
  el.hidden = false;
  clearTimeout(identifyTimer);
  identifyTimer = setTimeout(() => { el.hidden = true; }, (msg.seconds || 10) * 1000);
}

function onClose({ opened, reason }) {
  // Revoked: this TV shows a pairing code, so an admin can make it a screen again.
  if (reason === "revoked") { location.replace("/screen"); return; }
  if (!opened) checkKey();
  if (state.showing) armFallback(state.showing);   // keep rotating alone
}

// A refused upgrade looks like a server that is away; ask over HTTP which it is.
let lastKeyCheck = 0;
async function checkKey() {
  if (Date.now() - lastKeyCheck < KEY_CHECK_MS) return;
  lastKeyCheck = Date.now();
  try {
    await api("GET", `/screen/${stage.dataset.key}/state`);
  } catch (e) {
    if (e.status === 404) location.replace("/screen");
  }
}

// A server newer than this page — a higher protocol, or other static files than those
// this page was built from — makes it reload itself (once in a while at most, so two
// servers of different versions behind one proxy cannot make it loop).
function newerServer(msg) {
  if (typeof msg.protocol === "number" && msg.protocol > Number(stage.dataset.protocol)) return true;
  return Boolean(msg.client_version && stage.dataset.clientVersion
                 && msg.client_version !== stage.dataset.clientVersion);
}
// Reload only once the new version is in the service worker's cache (sw.js `prepare`):
// the new page and every file it names. Until then this page goes on as it is; a
// failed preparation is tried again with a fresh snapshot a minute later.
function updateToNewerServer(msg) {
  if (state.update && state.update.state === "preparing") return;
  const version = msg.client_version || null;
  state.update = { version, state: "preparing" };
  prepareVersion(version).then((ready) => {
    state.update = { version, state: ready ? "ready" : "failed" };
    if (ready) reloadForNewerServer();
    else setTimeout(() => live.resync(), UPDATE_RETRY_MS);
  });
}
function prepareVersion(version) {
  const worker = "serviceWorker" in navigator ? navigator.serviceWorker.controller : null;
  // No offline copy to be half of; or the same files (only the protocol is newer).
  if (!worker || !version || version === stage.dataset.clientVersion) return Promise.resolve(true);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), PREPARE_TIMEOUT_MS);
    channel.port1.onmessage = (ev) => {
      clearTimeout(timer);
      if (!(ev.data && ev.data.ok)) console.warn("new version not kept yet:", ev.data && ev.data.error);
      resolve(Boolean(ev.data && ev.data.ok));
    };
    worker.postMessage({ type: "prepare", page: location.href, version,
                         current: stage.dataset.clientVersion || null }, [channel.port2]);
  });
}
function reloadForNewerServer() {
  const key = "signage:reloaded-for-server";
  let last = 0;
  try { last = Number(sessionStorage.getItem(key) || 0); } catch (e) { last = 0; }
  if (Date.now() - last < NEWER_SERVER_RELOAD_MS) return false;
  try { sessionStorage.setItem(key, String(Date.now())); } catch (e) { return false; }
  location.reload();
  return true;
}

function applySnapshot(msg, cached) {
  if (!cached && newerServer(msg)) updateToNewerServer(msg);
  state.slides = msg.playlist.slides;
  state.showing = msg.showing;
  applyOffice(msg.office);
  state.zone = msg.zone;
  if (msg.screen) state.screenId = msg.screen.id;
  renderPlaylist();
  tell("snapshot", msg, cached);
  if (cached) return;
  state.snapshots = (state.snapshots || 0) + 1;   // from the server, since this page loaded
  try {
    localStorage.setItem(storageKey, JSON.stringify(msg));
  } catch (e) { /* storage full or disabled: the live view still works */ }
}

function applyOffice(office) {
  state.office = office;
  byId("office-name").textContent = office.office_name;
  byId("office-name").classList.toggle("is-long", (office.office_name || "").length > 40);
  byId("ward-name").textContent = office.ward_name;
  const hotline = byId("office-hotline");
  hotline.hidden = !office.hotline;
  hotline.querySelector("b").textContent = office.hotline || "";
  // The footer: the feedback address with the hotline and the QR to /feedback.
  byId("contact-bar").hidden = !office.feedback_address;
  byId("feedback-address").textContent = office.feedback_address || "";
  byId("contact-hotline").hidden = !office.hotline;
  byId("contact-hotline").querySelector("b").textContent = office.hotline || "";
  // The welcome or closed card on the glass now says the new address and hotline too.
  const idle = slidesEl.querySelector('[data-slide-id="idle"]');
  if (idle && state.showing && state.showing.slide_id === null) fillIdle(idle, state.showing);
}

const handlers = {
  slide(msg) { show(msg.showing); },
  "notice.updated"(msg) {
    for (const updated of msg.slides) {
      const i = state.slides.findIndex((s) => s.id === updated.id);
      if (i >= 0) state.slides[i] = updated;
      const el = slidesEl.querySelector(`[data-slide-id="${updated.id}"]`);
      if (el) {
        el.innerHTML = updated.html;
        pages.prepare(el, updated);
        if (el.classList.contains("is-current") && state.showing) pages.enter(el, state.showing);
      }
    }
  },
  "playlist.changed"(msg) {
    if (msg.office) applyOffice(msg.office);   // welcome texts, office hours
    state.slides = msg.playlist.slides;
    state.showing = msg.showing;
    renderPlaylist();
  },
  // The office's names, welcome card or hours: the header at once; the slide to show
  // (closed card or not) follows as a `slide` event.
  "office.updated"(msg) { applyOffice(msg.office); },
  "zone.updated"(msg) { state.zone = msg.zone; },
  // Remote actions from /admin/fleet (or the API): for this screen, or every screen of the zone.
  "screen.reload"(msg) { if (forMe(msg)) location.reload(); },
  "screen.identify"(msg) { if (forMe(msg)) identify(msg); },
  // A picture of this page for the fleet page: the drawing code is loaded only now.
  "screen.screenshot"(msg) {
    if (msg.screen_id !== state.screenId) return;
    import("./screenshot.js")
      .then(({ takeScreenshot }) => takeScreenshot({ stage, key: stage.dataset.key, width: msg.width }))
      .then(() => { state.screenshots = (state.screenshots || 0) + 1; })
      .catch((e) => console.warn("screenshot:", e));
  },
};

function onEvent(msg) {
  if (typeof msg.seq === "number") stage.dataset.seq = msg.seq;
  const handler = handlers[msg.type];
  if (handler) handler(msg);
  tell("event", msg);
}

function setLink(s) {
  linkEl.dataset.state = s;
  stage.dataset.link = s;
  if (s === "online") {
    countConnection();
    setTimeout(report, STATUS_AFTER_OPEN_MS);
  }
}

// ---- health: what this page tells the fleet page (docs/protocol.md, `status`) ----------
const connectionsKey = `signage:connections:${stage.dataset.key}`;

// Sockets opened today (office day), kept across reloads: the first is no reconnect.
function countConnection() {
  const today = time.day(now());
  let kept = null;
  try { kept = JSON.parse(localStorage.getItem(connectionsKey) || "null"); } catch (e) { kept = null; }
  const opens = kept && kept.day === today ? kept.opens + 1 : 1;
  state.reconnectsToday = opens - 1;
  try { localStorage.setItem(connectionsKey, JSON.stringify({ day: today, opens })); } catch (e) { /* full */ }
}

function report() {
  if (!live.connected) return;
  const id = stage.dataset.currentSlide;
  const slide = state.slides.find((s) => String(s.id) === id);
  const px = (n) => Math.round(n * (window.devicePixelRatio || 1));
  live.send({
    type: "status",
    client_version: stage.dataset.clientVersion || null,
    resolution: `${px(screen.width)}x${px(screen.height)}`,
    viewport: `${window.innerWidth}x${window.innerHeight}`,
    uptime_s: Math.round(performance.now() / 1000),
    reconnects_today: state.reconnectsToday || 0,
    rtt_ms: live.rttMs === null ? null : Math.round(live.rttMs * 10) / 10,
    clock_offset_ms: Math.round(Date.now() - now()),
    sound: speech.isUnlocked(),
    showing: id === undefined ? null : { slide_id: slide ? slide.id : id, title: slide ? slide.title : null },
  });
}
setInterval(report, STATUS_EVERY_MS);

// Paint the last thing we knew before the first byte arrives: never a blank TV.
try {
  const cached = JSON.parse(localStorage.getItem(storageKey) || "null");
  if (cached && cached.playlist) applySnapshot(cached, true);
} catch (e) { /* a corrupt cache is ignored */ }

live.start();

// Keep a copy of this page and its files, so a TV that restarts while the server is
// down still opens (sw.js). Only where the browser allows it (a secure context).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch((e) => console.warn("no offline copy:", e));
  // This very load is kept too (it came before the worker was in control).
  navigator.serviceWorker.ready.then((registration) => {
    // (its styles, modules and the fonts the styles asked for: every static file it loaded)
    const urls = [location.href, ...performance.getEntriesByType("resource").map((e) => e.name)
      .filter((u) => new URL(u).pathname.startsWith("/static/v/"))];
    if (registration.active) registration.active.postMessage({ type: "keep", urls });
  }).catch(() => { /* no worker: nothing kept */ });
}
