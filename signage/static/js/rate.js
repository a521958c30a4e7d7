/* The counter's rating tablet (/rate/<counter>?key=…): docs/evaluation.md.
 *
 * Idle: the officer on duty (name, title, field, photo) and the number being served.
 * When the officer completes a ticket, the server pushes `rating.ask` over WS
 * /ws/rate/<key> (lib/live.js: snapshot, seq, resync, heartbeat, reconnect); the tablet
 * asks for a rating on the office's scale (three levels, or five stars), asks for
 * reasons after a low score, posts it (POST /api/v1/ratings with X-Tablet-Key), thanks
 * the citizen and idles back. Without a touch for the office's timeout (30 s) it idles
 * back too. A ticket is asked about once (`rating.done` from elsewhere ends the ask).
 */

import { connectLive } from "./lib/live.js";
import { api } from "./lib/api.js";
import { byId as $, make, say } from "./lib/dom.js";

const root = $("rate");
const key = root.dataset.key;
const THANKS_MS = 6000;
const SVG = "http://www.w3.org/2000/svg";

const state = { view: null, mode: "idle", ask: null, score: null, reasons: new Set(),
                handled: new Set(), timer: null };

// ---- drawing -----------------------------------------------------------------------
function svg(tag, attrs, children = []) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  children.forEach((c) => node.append(c));
  return node;
}

const MOUTHS = { good: "M18 38 Q32 54 46 38", fine: "M20 40 Q32 48 44 40",
                 meh: "M21 43 L43 43", bad: "M20 46 Q32 34 44 46" };

function face(tone) {
  return svg("svg", { viewBox: "0 0 64 64", "aria-hidden": "true" }, [
    svg("circle", { cx: 32, cy: 32, r: 29, fill: "currentColor", opacity: ".14" }),
    svg("circle", { cx: 32, cy: 32, r: 29, fill: "none", stroke: "currentColor", "stroke-width": 4 }),
    svg("circle", { cx: 23, cy: 26, r: 4, fill: "currentColor" }),
    svg("circle", { cx: 41, cy: 26, r: 4, fill: "currentColor" }),
    svg("path", { d: MOUTHS[tone], fill: "none", stroke: "currentColor", "stroke-width": 4,
                  "stroke-linecap": "round" }),
  ]);
}

function star(filled) {
  return svg("svg", { viewBox: "0 0 24 24", "aria-hidden": "true" }, [
    svg("path", { d: "M12 2l3 6.6 7.2.8-5.4 4.9 1.5 7.1L12 17.8 5.7 21.4l1.5-7.1L1.8 9.4 9 8.6z",
                  fill: filled ? "currentColor" : "none", stroke: "currentColor", "stroke-width": 1.6 }),
  ]);
}

function tone(level, scale) {
  if (scale === 3) return { 3: "good", 2: "fine", 1: "bad" }[level.score];
  return level.score >= 4 ? (level.score === 5 ? "good" : "fine") : level.score === 3 ? "meh" : "bad";
}

function initials(name) {
  const words = String(name || "").trim().split(/\s+/).filter(Boolean);
  return words.length ? words[words.length - 1][0].toUpperCase() : "?";
}

function renderIdle() {
  const view = state.view;
  if (!view) return;
  $("r-counter").textContent = view.counter.name;
  const officer = view.officer;
  $("r-officer").hidden = !officer;
  if (officer) {
    $("r-officer-name").textContent = officer.name;
    $("r-officer-title").textContent = officer.title || "";
    $("r-officer-field").textContent = officer.field ? `Lĩnh vực: ${officer.field}` : "";
    $("r-initials").textContent = initials(officer.name);
    const photo = $("r-photo");
    photo.hidden = !officer.photo_url;
    $("r-initials").hidden = Boolean(officer.photo_url);
    if (officer.photo_url && photo.getAttribute("src") !== officer.photo_url) photo.src = officer.photo_url;
  }
  $("r-serving").hidden = !view.serving;
  $("r-serving-number").textContent = view.serving || "";
}

function renderLevels() {
  const { scale, levels } = state.view.rating;
  const box = $("r-levels");
  box.replaceChildren();
  box.classList.toggle("is-stars", scale === 5);
  for (const level of levels) {
    const button = make("button", "r-level");
    button.type = "button";
    button.dataset.score = level.score;
    button.dataset.tone = tone(level, scale);
    if (scale === 5) {
      const stars = make("span", "r-stars");
      for (let i = 1; i <= 5; i += 1) stars.append(star(i <= level.score));
      button.append(stars);
    } else {
      button.append(face(button.dataset.tone));
    }
    button.append(make("span", "r-level-label", level.label));
    button.addEventListener("click", () => chooseScore(level));
    box.append(button);
  }
}

function renderReasons() {
  const list = $("r-reason-list");
  list.replaceChildren();
  for (const reason of state.view.rating.reasons) {
    const button = make("button", "r-reason", reason.label);
    button.type = "button";
    button.dataset.reason = reason.code;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      const on = !state.reasons.has(reason.code);
      if (on) state.reasons.add(reason.code); else state.reasons.delete(reason.code);
      button.setAttribute("aria-pressed", String(on));
      touched();
    });
    list.append(button);
  }
  $("r-comment").value = "";
}

function show(mode) {
  state.mode = mode;
  root.dataset.mode = mode;
  for (const name of ["idle", "ask", "reasons", "thanks"]) $(`r-${name}`).hidden = name !== mode;
  if (mode !== "reasons") document.activeElement?.blur?.();
}

const message = (text) => say($("r-message"), text, { bad: true, hide: true });

// ---- the flow ------------------------------------------------------------------------
function idle() {
  clearTimeout(state.timer);
  state.ask = null;
  root.classList.remove("is-busy");
  message("");
  renderIdle();
  show("idle");
}

/** Back to idle after `ms` without a touch. */
function idleIn(ms) {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    if (state.ask) state.handled.add(state.ask.ticket);
    idle();
  }, Math.max(0, ms));
}

function touched() {
  if (state.ask) idleIn(state.view.rating.timeout_s * 1000);
}

function startAsk(ask) {
  if (!ask || state.handled.has(ask.ticket)) return;
  if (state.ask && state.ask.ticket === ask.ticket) return;   // already asking (a resync)
  const left = Date.parse(ask.until) - live.now();
  if (left <= 0) return;
  state.ask = ask;
  state.score = null;
  state.reasons = new Set();
  message("");
  $("r-ask-number").textContent = ask.display;
  $("r-ask-service").textContent = ask.service_name;
  renderLevels();
  show("ask");
  idleIn(left);
}

function chooseScore(level) {
  if (!state.ask) return;
  state.score = level.score;
  if (level.satisfied) { send(); return; }
  renderReasons();
  show("reasons");
  touched();
}

async function send() {
  const ask = state.ask;
  if (!ask || root.classList.contains("is-busy")) return;
  root.classList.add("is-busy");
  touched();
  const body = { ticket: ask.ticket, score: state.score, reasons: [...state.reasons] };
  const comment = $("r-comment").value.trim();
  if (comment && state.mode === "reasons") body.comment = comment;
  try {
    await api("POST", "ratings", body, { headers: { "X-Tablet-Key": key } });
    thanks(ask.ticket);
  } catch (error) {
    root.classList.remove("is-busy");
    if (error.code === "already_rated") { thanks(ask.ticket); return; }
    if (error.status === 409) { state.handled.add(ask.ticket); idle(); return; }
    message(error.status ? error.message : "Chưa gửi được đánh giá, xin quý vị chạm lại sau giây lát.");
  }
}

function thanks(ticket) {
  state.handled.add(ticket);
  state.ask = null;
  root.classList.remove("is-busy");
  message("");
  show("thanks");
  clearTimeout(state.timer);
  state.timer = setTimeout(idle, THANKS_MS);
}

$("r-send").addEventListener("click", send);
$("r-comment").addEventListener("input", touched);

// ---- live ------------------------------------------------------------------------------
function applyView(view) {
  state.view = view;
  renderIdle();
  if (view.ask) startAsk(view.ask);
}

const live = connectLive({
  path: `/ws/rate/${encodeURIComponent(key)}`,
  onSnapshot(msg) { applyView(msg); },
  onEvent(msg) {
    if (msg.type === "tablet.state") applyView({ ...state.view, ...msg });
    else if (msg.type === "tablet.serving" && state.view) {
      state.view.serving = msg.serving;
      renderIdle();
    } else if (msg.type === "rating.ask") startAsk(msg.ask);
    else if (msg.type === "rating.done" && state.ask && state.ask.ticket === msg.ticket) thanks(msg.ticket);
    else if (msg.type === "rating.done") state.handled.add(msg.ticket);
  },
  onLink(link) { $("r-link").dataset.state = link; },
  essential: (msg) => msg.type === "rating.ask",
});
live.start();
