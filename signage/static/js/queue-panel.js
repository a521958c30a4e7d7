/* The queue on a lobby screen: the panel (each counter's ticket, the last calls) and
 * the call overlay, which interrupts the rotation for a few seconds and speaks the call
 * (speech.js, offline clips). Calls are taken in arrival order (FIFO) and none is dropped.
 *
 * Calls that arrive together are shown together: the chime starts at the first call, and
 * every call that has arrived when it fades is one batch. One call: its big number and
 * its sentence, twice. Several: a board of all of them, read as one compact list ("a một
 * không không một, quầy một; một không không hai, quầy hai; …"), so the sixth of six
 * calls pressed at once is being said within 15 s, not 90 (docs/voice.md).
 *
 * screen.js hands it the snapshot (its "queue" part) and the events (queue.call,
 * queue.updated). Never touches the slides: the rotation goes on underneath the
 * overlay and is simply visible again when it closes.
 */

import { make as el } from "./lib/dom.js";

const MAX_ROWS = { landscape: 6, portrait: 6 };
const OVERLAY_CAP_MS = 45000;    // a stuck voice must not hold the overlay forever
const MAX_BATCH = 8;             // rows the board shows at a readable size
const RECENT_CALL_MS = 60000;    // a call missed in a gap is announced if at most this old
const HEARD_KEEP_MS = 300000;    // call ids remembered (across reloads) for this long

/**
 * createQueuePanel({stage, panelEl, overlayEl, speech, time, now, storageKey}) → {state, snapshot, event}
 *   speech  the speech module (or null: silent); time  officeTime(zone); now  server clock (ms)
 *   storageKey  where the ids of the calls this TV heard are kept (localStorage), optional
 */
export function createQueuePanel({ stage, panelEl, overlayEl, speech, time, now, storageKey = null }) {
  const state = {
    panel: null,          // the zone's queue panel from the server
    lastCallAt: {},       // counter id -> ms of its last call (orders the rows)
    pending: [],          // calls waiting for the overlay (FIFO)
    busy: false,
    shown: [],            // every call the overlay has shown (people and tests look here)
    spoken: [],           // {ticket, counter, at}: when each call's words began
    heard: null,          // call id -> when heard (ms); null: this TV never kept any
    recovered: [],        // ids of the calls announced from a snapshot (missed in a gap)
  };

  // ---- each call once: by its id, across the live event, snapshots and reloads -------------
  const heardKey = storageKey ? `${storageKey}:calls` : null;
  try {
    const kept = heardKey ? JSON.parse(localStorage.getItem(heardKey) || "null") : null;
    if (kept && typeof kept === "object") state.heard = kept;
  } catch (e) { state.heard = null; }

  function remember(ids) {
    const heard = state.heard || {};
    const at = Date.now();
    for (const id of ids) heard[id] = at;
    for (const id of Object.keys(heard)) if (at - heard[id] > HEARD_KEEP_MS) delete heard[id];
    state.heard = heard;
    try { if (heardKey) localStorage.setItem(heardKey, JSON.stringify(heard)); } catch (e) { /* full */ }
  }
  const heardBefore = (call) => call.call_id !== undefined && call.call_id !== null
    && Boolean(state.heard && state.heard[call.call_id]);

  // The snapshot's recent calls: those this TV never heard (it was away, or the event was
  // lost in a gap) are shown and said now, once, if still recent. A TV that never kept
  // any ids (its first start) announces no backlog.
  function recover(calls) {
    const firstStart = state.heard === null;
    const missed = calls.filter((call) => call.call_id !== undefined && call.call_id !== null
                                          && !heardBefore(call));
    remember(missed.map((call) => call.call_id));
    if (firstStart) return;
    for (const call of missed) {
      if (now() - Date.parse(call.called_at) > RECENT_CALL_MS) continue;
      state.recovered.push(call.call_id);
      enqueue(call);   // the snapshot's panel already shows it: only the overlay and voice
    }
  }

  if (speech) speech.configure({ base: "/static" });

  // ---- sound: browsers keep audio off until a gesture ---------------------------------
  const unlockButton = document.createElement("button");
  unlockButton.type = "button";
  unlockButton.className = "sound-unlock";
  // A drawn speaker: TV browsers often have no emoji font.
  unlockButton.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" '
    + 'd="M3 9v6h4l5 4V5L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z"/></svg>'
    + "Bật âm thanh";
  unlockButton.hidden = true;
  // In the header, not over the slides (a slide's text must never hide under it).
  (stage.querySelector(".masthead") || stage).appendChild(unlockButton);

  function refreshUnlock() {
    unlockButton.hidden = !speech || speech.isUnlocked();
    stage.dataset.sound = speech && speech.isUnlocked() ? "on" : "off";
  }
  async function unlock() {
    if (!speech) return;
    await speech.unlock();
    refreshUnlock();
    if (speech.isUnlocked()) {
      speech.preload(["kinh-moi-cong-dan-co-so-thu-tu", "den-quay-so", "quaayf", "khoong", "mootj",
                      "hai", "ba", "boons", "nawm", "saus", "bayr", "tams", "chins"]);
    }
  }
  unlockButton.addEventListener("click", unlock);
  document.addEventListener("keydown", () => { if (speech && !speech.isUnlocked()) unlock(); });
  // A kiosk Chromium started with --autoplay-policy=no-user-gesture-required needs no click.
  if (speech) unlock().then(() => { unlockButton.hidden = speech.isUnlocked(); });

  // ---- the panel -----------------------------------------------------------------------
  // YYYY-MM-DD in the office zone, like the server's office_date.
  const officeToday = () => time.day(now());

  function rows(panel) {
    const orientation = stage.classList.contains("portrait") ? "portrait" : "landscape";
    // A row naming its officer is taller: one row fewer fits the landscape column.
    const named = orientation === "landscape" && panel.counters.some((c) => c.officer);
    const max = MAX_ROWS[orientation] - (named ? 1 : 0);
    let counters = panel.counters.slice();
    if (counters.length > max) {
      // More counters than fit at a readable size: the busiest (latest called) first.
      counters.sort((a, b) => (state.lastCallAt[b.id] || 0) - (state.lastCallAt[a.id] || 0)
                              || (b.ticket ? 1 : 0) - (a.ticket ? 1 : 0) || a.number - b.number);
      counters = counters.slice(0, max).sort((a, b) => a.number - b.number);
    }
    return counters;
  }

  function render() {
    const panel = state.panel;
    if (!panel || !panel.counters || panel.counters.length === 0) {
      panelEl.hidden = true;
      stage.dataset.queue = "off";
      return;
    }
    if (panel.office_date && panel.office_date !== officeToday()) {
      // Past midnight: yesterday's numbers are gone from the lobby (kept in history).
      panel.counters.forEach((c) => { c.ticket = null; });
      panel.last_calls = [];
      panel.waiting = 0;
    }
    for (const call of panel.last_calls || []) {
      const counter = panel.counters.find((c) => c.number === call.counter);
      if (counter) state.lastCallAt[counter.id] = Math.max(state.lastCallAt[counter.id] || 0, Date.parse(call.at));
    }
    panelEl.hidden = false;
    stage.dataset.queue = "on";
    const head = el("div", "qp-head");
    head.append(el("span", "qp-title", "Mời công dân"));
    const list = el("ol", "qp-rows");
    for (const c of rows(panel)) {
      const row = el("li", c.ticket ? "qp-row is-busy" : "qp-row");
      if (c.ticket && c.ticket.length > 6) row.classList.add("is-long");
      row.dataset.counter = c.number;
      const where = el("div", "qp-counter");
      where.append(el("span", "qp-counter-label", "Quầy"), el("span", "qp-counter-number", String(c.number)));
      row.append(where, el("div", "qp-ticket", c.ticket || "—"));
      if (c.officer) {
        // The officer on duty there (NĐ 118 Điều 9 khoản 8: their name is public).
        row.classList.add("has-officer");
        row.append(el("div", "qp-officer", c.officer));
      }
      list.append(row);
    }
    const foot = el("div", "qp-foot");
    const recent = (panel.last_calls || []).slice(0, stage.classList.contains("portrait") ? 4 : 3);
    if (recent.length) {
      const last = el("div", "qp-last");
      last.append(el("span", "qp-last-label", "Vừa gọi"));
      for (const call of recent) last.append(el("span", "qp-last-item", `${call.ticket} → ${call.counter}`));
      foot.append(last);
    }
    foot.append(el("div", "qp-waiting", `Đang chờ: ${panel.waiting || 0} người`));
    panelEl.replaceChildren(head, list, foot);
  }

  // ---- calls: the overlay and the voice, one batch at a time ---------------------------
  function enqueue(call) {
    state.pending.push(call);
    if (!state.busy) next();
  }

  function showOverlay(call) {
    const card = el("div", "co-card");
    card.append(
      // The office's own call sentence (a setting), as the server sends it.
      el("div", "co-lead", call.lead
        || (call.recall ? "Xin mời lại công dân có số thứ tự" : "Kính mời công dân có số thứ tự")),
      el("div", "co-number", call.ticket),
    );
    const to = el("div", "co-to");
    to.append(el("span", "co-to-label", "đến quầy số"), el("span", "co-counter", String(call.counter)));
    card.append(to);
    if (call.service_name) card.append(el("div", "co-service", call.service_name));
    if (call.officer) {
      const officer = el("div", "co-officer");
      officer.append(el("span", "co-officer-label", "Cán bộ tiếp nhận"), el("strong", null, call.officer));
      card.append(officer);
    }
    openOverlay(card, call);
  }

  // Several calls at once: one board, one row per call, in the order they came.
  function showBoard(calls) {
    const board = el("div", "co-board");
    const lead = calls.find((call) => !call.recall && call.lead);
    board.append(el("div", "co-lead", lead ? lead.lead : "Kính mời công dân có số thứ tự"));
    const list = el("ol", "co-rows");
    for (const call of calls) {
      const row = el("li", "co-row");
      row.dataset.ticket = call.ticket;
      const to = el("span", "co-row-to");
      to.append(el("span", "co-to-label", "quầy"), el("span", "co-counter", String(call.counter)));
      row.append(el("span", "co-row-number", call.ticket), to);
      list.append(row);
    }
    board.append(list);
    board.classList.toggle("is-many", calls.length > 4);
    openOverlay(board, calls[0]);
    overlayEl.dataset.count = String(calls.length);
  }

  function openOverlay(content, first) {
    overlayEl.replaceChildren(content);
    overlayEl.dataset.ticket = first.ticket;
    overlayEl.dataset.counter = first.counter;
    overlayEl.hidden = false;
    overlayEl.classList.remove("is-leaving");
    void overlayEl.offsetWidth;
    overlayEl.classList.add("is-showing");
    stage.dataset.overlay = "on";
  }

  function hideOverlay() {
    overlayEl.classList.remove("is-showing");
    overlayEl.hidden = true;
    delete overlayEl.dataset.ticket;
    delete overlayEl.dataset.count;
    stage.dataset.overlay = "off";
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const spoken = (call) => state.spoken.push({ ticket: call.ticket, counter: call.counter, at: Date.now() });

  async function next() {
    if (!state.pending.length) { state.busy = false; hideOverlay(); return; }
    state.busy = true;
    const first = state.pending[0];
    showOverlay(first);
    // The chime gets the lobby's attention; calls that arrive while it rings join this batch.
    if (speech) await Promise.race([speech.chime(), sleep(3000)]);
    const batch = state.pending.splice(0, MAX_BATCH);
    const at = Date.now();
    for (const call of batch) state.shown.push({ ticket: call.ticket, counter: call.counter, at, batch: batch.length });
    const seconds = Number(first.overlay_seconds) > 0 ? Number(first.overlay_seconds) : 8;
    let said;
    if (batch.length === 1) {
      said = speech
        ? speech.announce({ ticket: first.ticket, counter: String(first.counter), tokens: first.tokens,
                            text: first.text, repeat: first.repeat || 2 },
                          { chimed: true, onStart: () => spoken(first) })
        : Promise.resolve();
    } else {
      showBoard(batch);
      const rows = overlayEl.querySelectorAll(".co-row");
      said = speech
        ? speech.announceList(batch.map((call) => call.compact || {}), {
          chimed: true,
          // A short list is said twice, as one call is; a long one once: the board stays up.
          repeat: batch.length <= 3 ? Math.min(first.repeat || 2, 2) : 1,
          onItem: (i) => {
            rows.forEach((row, k) => row.classList.toggle("is-speaking", k === i));
            if (batch[i]) spoken(batch[i]);
          },
        })
        : Promise.resolve();
    }
    // If more calls wait, a shorter look: the lobby must not wait minutes for the last one.
    const minimum = (state.pending.length ? Math.min(seconds, 4) : seconds) * 1000;
    await Promise.race([Promise.all([said, sleep(minimum)]), sleep(OVERLAY_CAP_MS)]);
    next();
  }

  function applyCall(call) {
    const panel = state.panel;
    if (panel && panel.counters) {
      const counter = panel.counters.find((c) => c.number === call.counter);
      if (counter) {
        counter.ticket = call.ticket;
        if ("officer" in call) counter.officer = call.officer;
        state.lastCallAt[counter.id] = Date.now();
      }
      for (const other of panel.counters) {
        if (other !== counter && other.ticket === call.ticket) other.ticket = null;  // transferred
      }
      panel.last_calls = [{ ticket: call.ticket, counter: call.counter, at: call.at, recall: call.recall },
                          ...(panel.last_calls || [])].slice(0, 6);
      render();
    }
    enqueue(call);
  }

  // Crossing midnight with no event: clear yesterday's numbers from the glass.
  setInterval(render, 60000);
  refreshUnlock();

  return {
    state,
    snapshot(msg, cached) {
      state.panel = msg.queue || null;
      render();
      if (!cached && msg.queue) recover(msg.queue.recent_calls || []);
    },
    event(msg) {
      if (msg.type === "queue.call") {
        if (heardBefore(msg)) return;   // already announced (from a snapshot, or twice sent)
        if (msg.call_id !== undefined && msg.call_id !== null) remember([msg.call_id]);
        applyCall(msg);
      }
      else if (msg.type === "queue.updated" && msg.queue) { state.panel = msg.queue; render(); }
    },
  };
}
