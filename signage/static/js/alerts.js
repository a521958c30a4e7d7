/* Emergency alerts on a lobby screen (docs/protocol.md, `alerts.updated`): full-screen
 * over everything — slides, queue panel, call overlay — until the alert expires (on the
 * server's clock) or is ended.
 *
 * The snapshot's `alerts` and each `alerts.updated` carry the zone's whole list of
 * active alerts, so applying either is idempotent; the most severe (then the newest) is
 * shown, with a count of the others. A new alert (an id this page has not sounded yet)
 * chimes, and is read aloud twice when it asks for a voice and the TV's browser has a
 * Vietnamese one (speech.js; the office's recorded clips cannot say arbitrary text).
 */

import { make } from "./lib/dom.js";

const SEVERITY = { "thong-tin": 1, "canh-bao": 2, "khan-cap": 3 };
const LABELS = {
  "thong-tin": ["Thông báo", "Notice"],
  "canh-bao": ["Cảnh báo", "Warning"],
  "khan-cap": ["Khẩn cấp", "Emergency"],
};
const SOUNDED_KEEP = 50;   // ids of alerts already sounded, remembered across snapshots

/**
 * createAlerts({stage, overlayEl, speech, time, now}) → {state, snapshot, event}
 *   speech  the speech module (or null: silent); time  officeTime(zone); now  server clock (ms)
 */
export function createAlerts({ stage, overlayEl, speech, time, now }) {
  const state = { alerts: [], shown: null, shownAt: null, sounded: [] };
  let expiryTimer = null;

  function active() {
    const t = now();
    return state.alerts.filter((a) => Date.parse(a.expires_at) > t);
  }

  function render() {
    clearTimeout(expiryTimer);
    const live = active().sort((a, b) => (SEVERITY[b.level] || 0) - (SEVERITY[a.level] || 0)
                                         || b.id - a.id);
    const top = live[0] || null;
    if ((top ? top.id : null) !== state.shown) state.shownAt = Date.now();
    state.shown = top ? top.id : null;
    stage.dataset.alert = top ? top.level : "off";
    if (!top) {
      overlayEl.hidden = true;
      overlayEl.replaceChildren();
      delete overlayEl.dataset.alertId;
      return;
    }
    const [vi, en] = LABELS[top.level] || LABELS["canh-bao"];
    const card = make("div", "alert-card");
    const label = make("div", "alert-label");
    label.append(make("span", "", vi), make("span", "alert-label-en", en));
    const text = make("p", "alert-text", top.text);
    text.classList.add(top.text.length > 200 ? "is-long" : top.text.length > 80 ? "is-medium" : "is-short");
    const foot = make("div", "alert-foot", `Đến ${time.clock(Date.parse(top.expires_at))}`);
    if (live.length > 1) foot.append(make("span", "alert-more", ` · và ${live.length - 1} cảnh báo khác`));
    card.append(label, text, foot);
    overlayEl.replaceChildren(card);
    overlayEl.className = `alert-overlay alert-${top.level}`;
    overlayEl.dataset.alertId = top.id;
    overlayEl.hidden = false;
    // Hide (or show the next) at the first expiry, on the server's clock.
    const next = Math.min(...live.map((a) => Date.parse(a.expires_at)));
    expiryTimer = setTimeout(render, Math.max(50, next - now()));
  }

  function sound(alerts) {
    for (const alert of alerts) {
      if (state.sounded.includes(alert.id)) continue;
      state.sounded = [...state.sounded, alert.id].slice(-SOUNDED_KEEP);
      if (!speech || Date.parse(alert.expires_at) <= now()) continue;
      if (alert.voice) speech.announce({ text: alert.text, tokens: [], repeat: 2 });
      else if (alert.chime) speech.chime();
    }
  }

  function apply(alerts, { quiet = false } = {}) {
    state.alerts = Array.isArray(alerts) ? alerts : [];
    if (quiet) state.sounded = state.alerts.map((a) => a.id).slice(-SOUNDED_KEEP);
    else sound(active());
    render();
  }

  return {
    state,
    snapshot(msg, cached = false) {
      // Painting the kept snapshot (a reload) does not chime for alerts already sounded
      // there; a live snapshot (a reconnect) chimes for those this page has not.
      apply(msg.alerts, { quiet: cached });
    },
    event(msg) {
      if (msg.type === "alerts.updated") apply(msg.alerts);
    },
  };
}
