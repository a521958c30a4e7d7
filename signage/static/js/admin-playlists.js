/* The playlist editor (/admin/playlists/<zone>) and the office hours page (/admin/office-hours).
 *
 * Everything goes through /api/v1 with lib/api.js (session cookie + CSRF token):
 *   GET  /api/v1/zones/<slug>/playlist/entries   the entries, approved notices or not
 *   PUT  /api/v1/zones/<slug>/playlist           save order, durations and schedules
 *   GET  /api/v1/zones/<slug>/now                what the zone's screens show now
 *   PUT  /api/v1/office-hours, PATCH /api/v1/office
 * The page brings its words, translated, in <script type="application/json" id="page-data">
 * (`words`, with {placeholders}); the API's errors come in the visitor's language and are
 * shown as they come, next to the entry or the day they name (their `field`).
 */

import { api } from "./lib/api.js";
import { fill as fmt, readJson, say } from "./lib/dom.js";
import { officeTime } from "./lib/office-time.js";

const data = readJson("page-data") || {};
const W = data.words;
const $ = (root, role) => root.querySelector(`[data-role="${role}"]`);

function setStatus(el, text, kind) {
  el.textContent = text || "";
  el.dataset.kind = kind || "";
}
// A problem next to what it concerns; the box is hidden while there is none.
const showError = (el, text) => say(el, text, { bad: true, hide: true });

// ---- time windows (both pages) ----------------------------------------------------
const rowTemplate = document.getElementById("window-row");

function addWindowRow(container, start, end) {
  const row = rowTemplate.content.firstElementChild.cloneNode(true);
  $(row, "start").value = start || "";
  $(row, "end").value = end || "";
  container.append(row);
  return row;
}

/* "7:30" → "07:30"; null when `text` is not a 24-hour time. The fields are plain text,
   not <input type="time">, which an American browser shows as "07:30 AM". */
function hourMinute(text) {
  const m = /^(\d{1,2})[:.hg](\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1].padStart(2, "0")}:${m[2]}`;
}

/* [[start, end], …] from the rows; throws when a row is half filled or a time unreadable. */
function readWindows(container) {
  const out = [];
  for (const row of container.querySelectorAll(".window-row")) {
    const a = $(row, "start").value.trim(), b = $(row, "end").value.trim();
    if (!a && !b) continue;
    if (!a || !b) {
      (a ? $(row, "end") : $(row, "start")).focus();
      throw new Error(W.window_incomplete);
    }
    const start = hourMinute(a), end = hourMinute(b);
    if (!start || !end) {
      (start ? $(row, "end") : $(row, "start")).focus();
      throw new Error(W.bad_time);
    }
    out.push([start, end]);
  }
  return out;
}

const page = W && document.querySelector("[data-page]");
if (page && page.dataset.page === "playlist") playlistPage(page);
if (page && page.dataset.page === "office-hours") officeHoursPage(page);

// ==== the playlist editor ===========================================================
function playlistPage(root) {
  const list = $(root, "list");
  const empty = $(root, "empty");
  const count = $(root, "count");
  const statusEl = $(root, "status");
  const saveButton = $(root, "save");
  const nowEl = $(root, "now");
  const search = $(root, "search");
  const picker = $(root, "picker");
  const itemTemplate = document.getElementById("pl-item");
  const dialog = document.getElementById("entry-dialog");
  const form = $(dialog, "entry-form");
  const dialogWindows = $(dialog, "windows");
  const dialogError = $(dialog, "dialog-error");
  const time = officeTime(data.timezone);

  let entries = [];          // [{key, id, notice_id, title, kind, …schedule}]
  let errors = {};           // key → the API's message for that entry
  let dirty = false;
  let nextKey = 1;
  let onAir = { current: null, active: new Set() };
  let nowTimer = null;
  let editing = null;        // the key of the entry in the dialog

  const byKey = (key) => entries.findIndex((e) => e.key === key);

  function adopt(slide) {
    return {
      key: `e${nextKey++}`, id: slide.id || null, notice_id: slide.notice_id,
      title: slide.title, kind: slide.kind, code: slide.code || "",
      notice_status: slide.notice_status || "approved", duration: slide.duration,
      starts_on: slide.starts_on || null, ends_on: slide.ends_on || null,
      weekdays: slide.weekdays && slide.weekdays.length ? slide.weekdays : null,
      windows: slide.windows && slide.windows.length ? slide.windows : null,
      priority: slide.priority || 0,
    };
  }

  function markDirty() {
    dirty = true;
    setStatus(statusEl, W.dirty, "dirty");
  }
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = W.leave; }
  });

  // -- the schedule in a few words: "T2–T6 · 07:30–11:30 · từ 01/12 đến 31/12 · ưu tiên 5"
  function weekdaysText(days) {
    if (!days || !days.length || days.length === 7) return "";
    const sorted = [...days].sort((a, b) => a - b);
    const runs = [];
    for (const d of sorted) {
      const run = runs[runs.length - 1];
      if (run && d === run[run.length - 1] + 1) run.push(d); else runs.push([d]);
    }
    const short = (d) => W.weekdays_short[d];
    return runs.map((r) => (r.length >= 3 ? `${short(r[0])}–${short(r[r.length - 1])}`
                                         : r.map(short).join(", "))).join(", ");
  }
  // Dates in the dialog are typed and shown as dd/mm/yyyy whatever the browser's locale
  // (an <input type="date"> follows it: mm/dd/yyyy in an American browser).
  function dayMonthYear(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.split("-");
    return `${d}/${m}/${y}`;
  }
  /* The ISO date typed in `input` (dd/mm/yyyy; d/m/yyyy and - or . separators too), null
     when empty; throws the field's message when it is not a real date. */
  function isoDate(input) {
    const text = input.value.trim();
    if (!text) return null;
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
    const bad = () => new Error(fmt(W.bad_date, { label: W[input.name] }));
    if (!m) throw bad();
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
      throw bad();
    }
    return `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }
  function dateText(iso) {
    const [y, m, d] = iso.split("-");
    return y === data.today.slice(0, 4) ? `${d}/${m}` : `${d}/${m}/${y}`;
  }
  function scheduleText(e) {
    const parts = [];
    const days = weekdaysText(e.weekdays);
    if (days) parts.push(days);
    if (e.windows && e.windows.length) parts.push(e.windows.map((w) => w.join("–")).join(", "));
    const range = [];
    if (e.starts_on) range.push(fmt(W.from, { date: dateText(e.starts_on) }));
    if (e.ends_on) range.push(fmt(W.to, { date: dateText(e.ends_on) }));
    if (range.length) parts.push(range.join(" "));
    if (e.priority) parts.push(fmt(W.priority, { n: e.priority }));
    return parts.length ? parts.join(" · ") : W.always;
  }

  // -- the list ------------------------------------------------------------------------
  function render(focus) {
    const items = entries.map((e, i) => {
      const li = itemTemplate.content.firstElementChild.cloneNode(true);
      li.dataset.key = e.key;
      li.dataset.noticeId = e.notice_id;
      li.querySelector(".pl-pos").textContent = i + 1;
      li.querySelector(".pl-title").textContent = e.title;
      const kind = li.querySelector(".pl-kind");
      kind.textContent = W.kinds[e.kind] || e.kind;
      kind.classList.add(`badge-kind-${e.kind}`);
      li.querySelector(".pl-duration").textContent = fmt(W.seconds, { n: e.duration });
      const schedule = li.querySelector(".pl-schedule");
      schedule.textContent = scheduleText(e);
      schedule.classList.toggle("is-always", schedule.textContent === W.always);
      const warn = li.querySelector(".pl-warn");
      if (e.notice_status !== "approved") {
        showError(warn, W.not_approved);
      } else if (e.ends_on && e.ends_on < data.today) {
        showError(warn, W.expired);
      }
      showError(li.querySelector(".pl-error"), errors[e.key]);
      li.classList.toggle("has-error", Boolean(errors[e.key]));
      li.classList.toggle("is-on-air", e.id !== null && onAir.active.has(e.id));
      li.classList.toggle("is-current", e.id !== null && onAir.current === e.id);
      li.querySelector('[data-act="up"]').disabled = i === 0;
      li.querySelector('[data-act="down"]').disabled = i === entries.length - 1;
      for (const button of li.querySelectorAll("button")) {
        // "Chuyển lên: <title>": a screen reader says which entry a button acts on.
        button.setAttribute("aria-label", `${button.title || button.textContent.trim()}: ${e.title}`);
      }
      li.setAttribute("aria-label", `${i + 1}. ${e.title}`);
      return li;
    });
    list.replaceChildren(...items);
    empty.textContent = W.empty;
    empty.hidden = entries.length > 0;
    count.textContent = fmt(W.count, { n: entries.length });
    renderPicker();
    if (focus) {
      const li = list.querySelector(`[data-key="${focus.key}"]`);
      let button = li && li.querySelector(`[data-act="${focus.act}"]`);
      if (button && button.disabled) button = li.querySelector(`[data-act="${focus.act === "up" ? "down" : "up"}"]`);
      if (button && !button.disabled) button.focus();
    }
  }

  function move(key, to) {
    const from = byKey(key);
    if (from < 0 || to < 0 || to >= entries.length || to === from) return false;
    const [entry] = entries.splice(from, 1);
    entries.splice(to, 0, entry);
    markDirty();
    announce(fmt(W.moved, { title: entry.title, n: to + 1 }));
    return true;
  }

  function announce(text) {
    setStatus(statusEl, `${text} ${W.dirty}`, "dirty");
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    const key = button.closest(".pl-item").dataset.key;
    const i = byKey(key);
    const act = button.dataset.act;
    if (act === "up" || act === "down") {
      if (move(key, act === "up" ? i - 1 : i + 1)) render({ key, act });
    } else if (act === "remove") {
      const [gone] = entries.splice(i, 1);
      delete errors[key];
      markDirty();
      render();
      announce(fmt(W.removed, { title: gone.title }));
      const next = list.children[Math.min(i, list.children.length - 1)];
      (next ? next.querySelector('[data-act="remove"]') : search).focus();
    } else if (act === "edit") {
      openDialog(key);
    }
  });

  // -- drag and drop (HTML5); the ↑ ↓ buttons do the same from the keyboard ---------------
  let dragKey = null;
  const clearMarks = () => list.querySelectorAll(".drop-before, .drop-after")
    .forEach((el) => el.classList.remove("drop-before", "drop-after"));

  list.addEventListener("dragstart", (event) => {
    const li = event.target.closest(".pl-item");
    if (!li) return;
    dragKey = li.dataset.key;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragKey);
    li.classList.add("is-dragging");
  });
  list.addEventListener("dragover", (event) => {
    const li = event.target.closest(".pl-item");
    if (!li || dragKey === null) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const box = li.getBoundingClientRect();
    clearMarks();
    if (li.dataset.key !== dragKey) {
      li.classList.add(event.clientY > box.top + box.height / 2 ? "drop-after" : "drop-before");
    }
  });
  list.addEventListener("drop", (event) => {
    const li = event.target.closest(".pl-item");
    if (!li || dragKey === null) return;
    event.preventDefault();
    const box = li.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    const key = dragKey;
    if (li.dataset.key !== key) {
      const from = byKey(key);
      let to = byKey(li.dataset.key) + (after ? 1 : 0);
      if (from < to) to -= 1;   // the dragged entry leaves its place first
      if (move(key, to)) render();
    }
    dragKey = null;
    clearMarks();
  });
  list.addEventListener("dragend", () => {
    dragKey = null;
    clearMarks();
    list.querySelectorAll(".is-dragging").forEach((el) => el.classList.remove("is-dragging"));
  });

  // -- the schedule dialog ------------------------------------------------------------------
  function openDialog(key) {
    const e = entries[byKey(key)];
    editing = key;
    $(dialog, "dialog-notice").textContent = e.title;
    form.elements.duration.value = e.duration;
    form.elements.priority.value = e.priority;
    form.elements.starts_on.value = dayMonthYear(e.starts_on);
    form.elements.ends_on.value = dayMonthYear(e.ends_on);
    for (const box of form.querySelectorAll('input[name="weekday"]')) {
      box.checked = !e.weekdays || e.weekdays.includes(Number(box.value));
    }
    dialogWindows.replaceChildren();
    for (const [a, b] of e.windows || []) addWindowRow(dialogWindows, a, b);
    syncWindowsHint();
    showError(dialogError, errors[key]);
    showHidden([]);
    dialog.showModal();
    checkHidden();
    form.elements.duration.focus();
  }
  function syncWindowsHint() {
    $(dialog, "windows-none").hidden = dialogWindows.children.length > 0;
  }
  function closeDialog() {
    const key = editing;
    editing = null;
    dialog.close();
    const button = list.querySelector(`[data-key="${key}"] [data-act="edit"]`);
    if (button) button.focus();
  }
  dialog.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    if (button.dataset.act === "cancel") closeDialog();
    if (button.dataset.act === "add-window") {
      const row = dialogWindows.children.length
        ? addWindowRow(dialogWindows, "13:30", "17:00") : addWindowRow(dialogWindows, "07:30", "11:30");
      $(row, "start").focus();
      syncWindowsHint();
    }
    if (button.dataset.act === "remove-window") {
      button.closest(".window-row").remove();
      syncWindowsHint();
    }
  });
  dialog.addEventListener("cancel", () => { editing = null; });

  /* The schedule the dialog holds, as the API takes it; throws (a message) when a field
     cannot be read. */
  function dialogSchedule() {
    const days = [...form.querySelectorAll('input[name="weekday"]:checked')].map((b) => Number(b.value));
    if (!days.length) throw new Error(W.no_weekday);
    const windows = readWindows(dialogWindows);
    const number = (v) => (/^-?\d+$/.test(v.trim()) ? Number(v) : null);  // else the API says why
    return {
      duration: number(form.elements.duration.value),
      priority: number(form.elements.priority.value),
      starts_on: isoDate(form.elements.starts_on),
      ends_on: isoDate(form.elements.ends_on),
      weekdays: days.length === 7 ? null : days,
      windows: windows.length ? windows : null,
    };
  }

  // -- what this entry's schedule would hide: asked of the server, which answers by the
  //    rotation's own rule (POST …/playlist/hidden), as the dialog is changed
  const hidesBox = $(dialog, "dialog-hides");
  let hiddenAsked = 0;
  let hiddenTimer = null;
  function showHidden(items) {
    hidesBox.hidden = !items.length;
    $(dialog, "dialog-hides-text").textContent = fmt(W.hides, { n: items.length });
    $(dialog, "dialog-hides-list").replaceChildren(...items.map((item) => {
      const li = document.createElement("li");
      li.textContent = item.title;
      return li;
    }));
  }
  async function checkHidden() {
    const mine = ++hiddenAsked;
    const index = byKey(editing);
    if (index < 0) return;
    let schedule;
    try { schedule = dialogSchedule(); } catch (err) { return; }
    if (schedule.priority === null || schedule.duration === null) return;
    const slides = entries.map((e, i) => ({
      notice_id: e.notice_id, duration: e.duration, starts_on: e.starts_on, ends_on: e.ends_on,
      weekdays: e.weekdays, windows: e.windows, priority: e.priority,
      ...(i === index ? schedule : {}),
    }));
    try {
      const answer = await api("POST", data.api.hidden, { slides, index });
      if (mine === hiddenAsked && editing !== null) showHidden(answer.items);
    } catch (err) {
      if (mine === hiddenAsked) showHidden([]);  // a schedule the API refuses: Apply says why
    }
  }
  const soon = () => { clearTimeout(hiddenTimer); hiddenTimer = setTimeout(checkHidden, 250); };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  dialog.addEventListener("click", (event) => {
    if (event.target.closest('button[data-act="remove-window"]')) soon();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const e = entries[byKey(editing)];
    let schedule;
    try { schedule = dialogSchedule(); } catch (err) { showError(dialogError, err.message); return; }
    Object.assign(e, schedule);
    delete errors[e.key];
    markDirty();
    render();
    closeDialog();
  });

  // -- the picker of approved notices ------------------------------------------------------
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d").toLowerCase();
  for (const n of data.notices) n.folded = fold(`${n.title} ${n.code} ${n.field}`);

  function renderPicker() {
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    const inList = new Set(entries.map((e) => e.notice_id));
    const found = data.notices.filter((n) => words.every((w) => n.folded.includes(w))).slice(0, 40);
    if (!found.length) {
      const li = document.createElement("li");
      li.className = "picker-none";
      li.textContent = W.no_match;
      picker.replaceChildren(li);
      return;
    }
    picker.replaceChildren(...found.map((n) => {
      const li = document.createElement("li");
      const text = document.createElement("div");
      const title = document.createElement("span");
      title.className = "picker-title";
      title.textContent = n.title;
      const meta = document.createElement("small");
      meta.textContent = [W.kinds[n.kind], n.code, inList.has(n.id) ? W.in_list : ""]
        .filter(Boolean).join(" · ");
      text.append(title, meta);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small";
      button.dataset.noticeId = n.id;
      button.textContent = W.add;
      button.setAttribute("aria-label", fmt(W.add_label, { title: n.title }));
      li.append(text, button);
      return li;
    }));
  }
  search.addEventListener("input", renderPicker);
  picker.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-notice-id]");
    if (!button) return;
    const n = data.notices.find((x) => x.id === Number(button.dataset.noticeId));
    const entry = adopt({ notice_id: n.id, title: n.title, kind: n.kind, code: n.code,
                          duration: n.duration });
    entries.push(entry);
    markDirty();
    render();
    announce(fmt(W.added, { title: n.title }));
    list.lastElementChild.scrollIntoView({ block: "nearest" });
    const again = picker.querySelector(`button[data-notice-id="${n.id}"]`);
    if (again) again.focus();
  });

  // -- loading and saving -------------------------------------------------------------------
  async function load() {
    setStatus(statusEl, W.loading);
    const body = await api("GET", data.api.entries);
    entries = body.slides.map(adopt);
    errors = {};
    dirty = false;
    render();
    showProposal(body.proposal);
    setStatus(statusEl, "");
  }

  // -- an editor's change waiting for approval (docs/admin.md, "Playlists") ---------------
  const proposalEl = $(root, "proposal");
  let proposal = null;

  function showProposal(p) {
    proposal = p || null;
    proposalEl.hidden = !proposal;
    if (!proposal) return;
    const when = officeTime(data.timezone).stamp(proposal.created_at);
    $(root, "proposal-text").textContent = proposal.status === "rejected"
      ? fmt(W.proposal_rejected, { author: proposal.author, by: proposal.decided_by || "",
                                   reason: proposal.reason || "" })
      : fmt(W.proposal_pending, { author: proposal.author, n: proposal.slides.length, time: when });
    proposalEl.dataset.status = proposal.status;
    $(root, "proposal-actions").hidden = !(data.approves && proposal.status === "pending");
  }

  // Proposed entries into the editor: an approver may look, change, and save them (an
  // approver's save is the playlist at once, so that also decides the proposal).
  $(root, "proposal-open").textContent = W.proposal_open;
  $(root, "proposal-open").addEventListener("click", () => {
    const byId = new Map(data.notices.map((n) => [n.id, n]));
    entries = proposal.slides.map((e) => {
      const n = byId.get(e.notice_id) || {};
      return adopt({ ...e, title: n.title || `#${e.notice_id}`, kind: n.kind, code: n.code });
    });
    markDirty();
    render();
  });
  $(root, "approve").textContent = W.approve;
  $(root, "reject").textContent = W.reject;
  $(root, "reject-label").textContent = W.reject_reason;
  $(root, "reject-reason").placeholder = W.reject_reason;
  async function decide(how) {
    try {
      const body = how === "approve"
        ? await api("POST", data.api.approve, { proposal: proposal.id })
        : await api("POST", data.api.reject, { proposal: proposal.id,
                                               reason: $(root, "reject-reason").value });
      await load();
      setStatus(statusEl, how === "approve" ? W.approved : W.rejected, "ok");
      if (how === "approve") refreshNow();
      return body;
    } catch (err) {
      setStatus(statusEl, err.message, "error");
      return null;
    }
  }
  $(root, "approve").addEventListener("click", () => decide("approve"));
  $(root, "reject").addEventListener("click", () => decide("reject"));

  async function save() {
    saveButton.disabled = true;
    setStatus(statusEl, W.saving);
    const slides = entries.map((e) => ({
      notice_id: e.notice_id, duration: e.duration, starts_on: e.starts_on, ends_on: e.ends_on,
      weekdays: e.weekdays, windows: e.windows, priority: e.priority,
    }));
    try {
      const saved = await api("PUT", data.api.save, { slides });
      dirty = false;
      await load();
      const waiting = !data.approves && saved.proposal && saved.proposal.status === "pending";
      setStatus(statusEl, waiting ? W.proposed : W.saved, "ok");
      refreshNow();
    } catch (err) {
      const named = entryOfError(err);
      if (named) {
        const { entry } = named;
        errors = { [entry.key]: named.message };
        render();
        setStatus(statusEl, W.fix_entries, "error");
        const li = list.querySelector(`[data-key="${entry.key}"]`);
        li.scrollIntoView({ block: "center" });
        li.querySelector('[data-act="edit"]').focus();
      } else {
        setStatus(statusEl, err.message, "error");
      }
    } finally {
      saveButton.disabled = false;
    }
  }
  saveButton.addEventListener("click", save);

  // The entry an error is about, and what to say next to it: the API names it by its
  // field ("slides.2.duration", counted from 0) or, in its older words, by its place
  // ("Slide 3: …").
  function entryOfError(err) {
    for (const problem of err.details || []) {
      const m = /^slides\.(\d+)/.exec(problem.field || "");
      if (m && entries[Number(m[1])]) return { entry: entries[Number(m[1])], message: problem.message };
    }
    const match = /^Slide (\d+): ([\s\S]*)$/.exec(err.message || "");
    const entry = match && entries[Number(match[1]) - 1];
    return entry ? { entry, message: match[2] } : null;
  }

  // -- what is on the screens now ---------------------------------------------------------------
  function paintNow(now) {
    const parts = [];
    const line = (text, cls) => {
      const p = document.createElement("p");
      p.textContent = text;
      if (cls) p.className = cls;
      parts.push(p);
      return p;
    };
    nowEl.dataset.state = now.state;
    if (now.state === "slide" && now.slide) {
      line(W.now_slide, "now-label");
      const title = line(now.slide.title, "now-title");
      title.dataset.test = "now-title";
      line(`${W.kinds[now.slide.kind] || now.slide.kind} · ${fmt(W.now_until,
        { time: time.clock(now.showing.until, { seconds: true }) })}`, "muted");
      const approved = entries.filter((e) => e.notice_status === "approved").length;
      if (now.active.length >= approved && !dirty) {
        line(fmt(W.now_all, { n: now.active.length }), "now-note");
      } else if (now.active.length > 1) {
        line(fmt(W.now_active, { n: now.active.length }), "now-label");
        const ol = document.createElement("ol");
        ol.className = "now-active";
        for (const s of now.active) {
          const li = document.createElement("li");
          li.textContent = s.title;
          if (s.id === now.slide.id) li.className = "is-current";
          ol.append(li);
        }
        parts.push(ol);
      }
    } else {
      line(now.state === "closed" ? W.now_closed : W.now_welcome, `now-card now-${now.state}`);
    }
    if (now.state === "slide") line(W.now_legend, "hint");
    line(fmt(W.now_at, { time: time.clock(now.at, { seconds: true }) }), "hint");
    nowEl.replaceChildren(...parts);
    onAir = { current: now.slide ? now.slide.id : null, active: new Set(now.active.map((s) => s.id)) };
    for (const li of list.children) {
      const id = entries[byKey(li.dataset.key)].id;
      li.classList.toggle("is-on-air", id !== null && onAir.active.has(id));
      li.classList.toggle("is-current", id !== null && onAir.current === id);
    }
  }

  async function refreshNow() {
    clearTimeout(nowTimer);
    let wait = 15000;
    try {
      const now = await api("GET", data.api.now);
      paintNow(now);
      if (now.showing && now.showing.until) {
        // Look again when the slide changes (server time), at most every 15 s.
        wait = Math.min(wait, Math.max(1000, Date.parse(now.showing.until) - Date.parse(now.at) + 300));
      }
    } catch (err) {
      nowEl.textContent = err.message;
      wait = 30000;
    }
    nowTimer = setTimeout(refreshNow, wait);
  }
  $(root, "now-refresh").addEventListener("click", refreshNow);

  render();
  // The entries first: the "now" panel marks them and counts the approved ones.
  load().catch((err) => setStatus(statusEl, err.message, "error")).finally(refreshNow);
}

// ==== office hours and the welcome card =====================================================
function officeHoursPage(root) {
  const hoursForm = $(root, "hours-form");
  const days = $(root, "days");
  const hoursError = $(root, "hours-error");
  const hoursStatus = $(root, "hours-status");
  const rows = [...root.querySelectorAll("tr[data-day]")];

  function syncDay(row) {
    $(row, "closed-day").hidden = $(row, "windows").children.length > 0;
  }
  function fill(hours) {
    for (const row of rows) {
      const box = $(row, "windows");
      box.replaceChildren();
      for (const [a, b] of (hours && hours[row.dataset.day]) || []) addWindowRow(box, a, b);
      syncDay(row);
    }
  }
  function syncMode() {
    const none = hoursForm.elements.mode.value === "none";
    days.disabled = none;
    days.classList.toggle("is-disabled", none);
  }

  fill(data.hours);
  hoursForm.elements.mode.value = data.hours ? "set" : "none";
  syncMode();
  hoursForm.addEventListener("change", (event) => {
    if (event.target.name === "mode") syncMode();
  });

  days.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    const row = button.closest("tr[data-day]");
    if (button.dataset.act === "add-window") {
      const box = $(row, "windows");
      const added = box.children.length ? addWindowRow(box, "13:30", "17:00")
                                        : addWindowRow(box, "07:30", "11:30");
      syncDay(row);
      $(added, "start").focus();
    } else if (button.dataset.act === "remove-window") {
      button.closest(".window-row").remove();
      syncDay(row);
    } else if (button.dataset.act === "preset") {
      const work = [["07:30", "11:30"], ["13:30", "17:00"]];
      fill({ 1: work, 2: work, 3: work, 4: work, 5: work });
    }
  });

  hoursForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(hoursError, "");
    rows.forEach((row) => row.classList.remove("has-error"));
    let hours = null;
    if (hoursForm.elements.mode.value === "set") {
      hours = {};
      try {
        for (const row of rows) {
          const windows = readWindows($(row, "windows"));
          if (windows.length) hours[row.dataset.day] = windows;
        }
      } catch (err) {
        showError(hoursError, err.message);
        return;
      }
      if (!Object.keys(hours).length) { showError(hoursError, W.hours_empty); return; }
    }
    setStatus(hoursStatus, W.saving);
    try {
      const saved = await api("PUT", "/api/v1/office-hours", { hours });
      fill(saved.hours);
      setStatus(hoursStatus, saved.hours ? W.hours_saved : W.hours_cleared, "ok");
    } catch (err) {
      setStatus(hoursStatus, "");
      showError(hoursError, err.message);
      // The field ("hours.3.0") or the message ("Giờ làm việc thứ 3, khung 1: …") names
      // the ISO weekday: mark that row.
      const field = (err.details || []).map((p) => /^hours\.(\d)/.exec(p.field || "")).find(Boolean);
      const match = field || /Giờ làm việc thứ (\d)/.exec(err.message || "");
      const row = match && rows.find((r) => r.dataset.day === match[1]);
      if (row) row.classList.add("has-error");
    }
  });

  // -- the welcome card -----------------------------------------------------------------------
  const welcome = $(root, "welcome-form");
  const welcomeError = $(root, "welcome-error");
  const welcomeStatus = $(root, "welcome-status");
  function preview() {
    $(welcome, "preview-title").textContent = welcome.elements.welcome_title.value.trim()
      || data.defaults.welcome_title;
    $(welcome, "preview-text").textContent = welcome.elements.welcome_text.value.trim()
      || data.defaults.welcome_text;
  }
  welcome.addEventListener("input", preview);
  welcome.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(welcomeError, "");
    setStatus(welcomeStatus, W.saving);
    try {
      const office = await api("PATCH", "/api/v1/office", {
        welcome_title: welcome.elements.welcome_title.value,
        welcome_text: welcome.elements.welcome_text.value,
      });
      welcome.elements.welcome_title.value = office.welcome_title;
      welcome.elements.welcome_text.value = office.welcome_text;
      preview();
      setStatus(welcomeStatus, W.welcome_saved, "ok");
    } catch (err) {
      setStatus(welcomeStatus, "");
      showError(welcomeError, err.message);
    }
  });
}
