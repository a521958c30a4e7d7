/* /admin/fleet: every lobby screen, live over the admin's own socket (`WS /ws/admin`,
 * docs/protocol.md "Fleet page socket"). A snapshot lists them all; `fleet.updated`
 * brings what some screens' pages reported; `fleet.changed` (a screen added, paired or
 * revoked) asks for a new snapshot. Nothing is polled: "last seen 3 min ago" and the
 * stale flag are computed here from the server's clock between events. */

import { connectLive } from "./lib/live.js";
import { api, showError } from "./lib/api.js";
import { byId, fill, make, readJson, say } from "./lib/dom.js";

const data = readJson("page-data") || {};
const W = data.words || {};
const root = byId("fleet");
const summaryEl = byId("fleet-summary");
const linkEl = byId("fleet-link");
const messageEl = byId("fleet-message");

const state = {
  screens: new Map(),   // id -> entry as GET /api/v1/screens gives it
  staleAfterMs: 300000,
};

const live = connectLive({
  path: "/ws/admin",
  onSnapshot(msg) {
    state.staleAfterMs = (msg.stale_after || 300) * 1000;
    state.screens = new Map(msg.screens.filter((s) => !s.revoked).map((s) => [s.id, s]));
    render();
  },
  onEvent(msg) {
    if (msg.type === "fleet.changed") { live.resync(); return; }
    if (msg.type === "fleet.screenshot") {   // a screen's page sent a new picture of itself
      const known = state.screens.get(msg.screen_id);
      if (!known) { live.resync(); return; }
      known.screenshot_at = msg.screenshot_at;
      render([msg.screen_id]);
      return;
    }
    if (msg.type !== "fleet.updated") return;
    for (const update of msg.screens) {
      const known = state.screens.get(update.id);
      if (!known) { live.resync(); return; }   // a screen this page has not heard of yet
      Object.assign(known, update);
    }
    render(msg.screens.map((u) => u.id));   // only their cards: 1,000 TVs report each minute
  },
  onLink(s) {
    linkEl.dataset.state = s;
    root.classList.toggle("is-away", s !== "online");
  },
});

// ---- words ------------------------------------------------------------------------
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return fill(W.s, { n: s });
  if (s < 3600) return fill(W.min, { n: Math.floor(s / 60) });
  if (s < 86400) return fill(W.h, { n: Math.floor(s / 3600) });
  return fill(W.d, { n: Math.floor(s / 86400) });
}
const ago = (iso) => duration((live.now() - Date.parse(iso)) / 1000);

function isStale(s) {
  if (s.connected) return false;
  const contact = s.last_seen || s.created_at;
  return Boolean(contact) && live.now() - Date.parse(contact) > state.staleAfterMs;
}

// ---- cards ------------------------------------------------------------------------
function fact(list, label, value, bad = false) {
  const dd = make("dd", bad ? "is-bad" : "", value === null || value === undefined ? W.unknown : value);
  list.append(make("dt", "", label), dd);
}

function card(s) {
  const stale = isStale(s);
  const el = make("article", "fleet-card");
  el.dataset.screenId = s.id;
  el.classList.toggle("is-stale", stale);
  el.classList.toggle("is-offline", !s.connected);
  const title = make("h2");
  const dot = make("span", `dot ${s.connected ? "dot-on" : "dot-off"}`);
  title.append(dot, make("span", "", s.name));
  el.append(title, make("p", "fleet-zone", s.zone_name));

  let stateText;
  if (s.connected) stateText = s.connected > 1 ? fill(W.connected_n, { n: s.connected }) : W.connected;
  else if (s.last_seen) stateText = `${stale ? W.stale : W.offline} · ${fill(W.seen, { when: ago(s.last_seen) })}`;
  else stateText = stale ? `${W.stale} · ${W.never}` : W.never;
  const stateEl = make("p", `fleet-state${stale ? " is-stale" : ""}`, stateText);
  stateEl.dataset.test = "fleet-state";
  el.append(stateEl);

  const showing = make("div", "fleet-showing");
  const current = s.showing || {};
  const what = current.title || (current.slide_id === "idle" ? W.idle
    : current.slide_id === "closed" ? W.closed : W.unknown);
  showing.append(make("small", "", W.showing), make("span", "", what));
  showing.dataset.test = "fleet-showing";
  el.append(showing);

  const facts = make("dl", "fleet-facts");
  fact(facts, W.resolution, s.resolution);
  const old = s.client_version && data.client_version && s.client_version !== data.client_version;
  fact(facts, W.version, s.client_version && (old ? fill(W.version_old, { v: s.client_version }) : s.client_version), old);
  fact(facts, W.uptime, s.uptime_s === null || s.uptime_s === undefined ? null : duration(s.uptime_s));
  fact(facts, W.reconnects, s.reconnects_today, s.reconnects_today > 20);
  fact(facts, W.rtt, s.rtt_ms === null || s.rtt_ms === undefined ? null : fill(W.ms, { n: Math.round(s.rtt_ms) }),
       s.rtt_ms > 500);
  const offset = s.clock_offset_ms;
  fact(facts, W.clock, offset === null || offset === undefined ? null
    : Math.abs(offset) < 1000 ? fill(W.ms, { n: Math.round(offset) }) : duration(Math.abs(offset) / 1000),
       Math.abs(offset || 0) > 60000);
  fact(facts, W.sound, s.sound === null || s.sound === undefined ? null : s.sound ? W.sound_on : W.sound_off,
       s.sound === false);
  el.append(facts);
  if (s.screenshot_at && data.admin) el.append(picture(s));

  if (!s.revoked) {
    const actions = make("div", "fleet-actions");
    // Approvers reload; identify and screenshots are the admins'.
    const commands = [["reload", W.reload, W.reloading]];
    if (data.admin) commands.push(["identify", W.identify, W.identifying],
                                  ["screenshot", W.screenshot, W.screenshotting]);
    for (const [command, label, done] of commands) {
      const button = make("button", "button button-small", label);
      button.type = "button";
      button.dataset.command = command;
      button.addEventListener("click", () => act(`screens/${s.id}/${command}`, fill(done, { name: s.name })));
      actions.append(button);
    }
    el.append(actions);
  }
  return el;
}

// The last picture the screen took of itself (GET /api/v1/screens/<id>/screenshot);
// its time in the address, so a new one is fetched and an unchanged one is not.
function picture(s) {
  const figure = make("figure", "fleet-shot-figure");
  const img = make("img", `fleet-shot${s.orientation === "portrait" ? " is-portrait" : ""}`);
  img.src = `/api/v1/screens/${Number(s.id)}/screenshot?at=${encodeURIComponent(s.screenshot_at)}`;
  img.alt = fill(W.screenshot_of, { name: s.name });
  img.loading = "lazy";
  img.dataset.test = "fleet-screenshot";
  figure.append(img, make("figcaption", "", fill(W.screenshot_at, { when: ago(s.screenshot_at) })));
  return figure;
}

// Remote actions go through the API (session cookie + CSRF token, lib/api.js).
async function act(path, done, body = undefined) {
  try {
    await api("POST", path, body);
    say(messageEl, done);
  } catch (error) {
    showError(messageEl, error);
  }
}

byId("reload-all").addEventListener("click", () => {
  if (window.confirm(W.confirm_all)) act("screens/reload", W.reloading_all);
});

// One zone: every screen of it, after a confirmation naming the zone.
byId("reload-zone-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const select = byId("reload-zone");
  const option = select.selectedOptions[0];
  if (!option) return;
  const zone = option.textContent;
  if (window.confirm(fill(W.confirm_zone, { zone }))) {
    act("screens/reload", fill(W.reloading_zone, { zone }), { zones: [select.value] });
  }
});

function render(only = null) {
  const screens = [...state.screens.values()].sort((a, b) => a.id - b.id);
  if (only) {
    for (const id of only) {
      const old = root.querySelector(`[data-screen-id="${Number(id)}"]`);
      if (old) old.replaceWith(card(state.screens.get(id)));
    }
  } else if (!screens.length) {
    root.replaceChildren(make("p", "muted", W.none));
  } else {
    root.replaceChildren(...screens.map(card));
  }
  const connected = screens.filter((s) => s.connected).length;
  const stale = screens.filter(isStale).length;
  summaryEl.textContent = fill(W.summary, { connected, stale, total: screens.length });
}

// "Last seen 3 minutes ago" and the stale flag move with time, not only with events.
setInterval(render, 15000);
live.start();
