/* Lobby screen client (protocol 1; see docs/protocol.md). Plain modern JavaScript.
 *
 * The server is the authority on what is shown: it sends a snapshot, then events
 * (`slide`, `notice.updated`, `playlist.changed`, …) with a per-zone `seq`. This
 * page never goes blank: it paints the last snapshot it kept (localStorage) before
 * the socket is even open, and while offline it goes on rotating that playlist by
 * itself, from the last `showing` it was told.
 */
(() => {
  "use strict";

  const stage = document.getElementById("stage");
  const slidesEl = document.getElementById("slides");
  const linkEl = document.getElementById("link-state");
  const progressEl = document.getElementById("progress");
  const key = stage.dataset.key;
  const storageKey = `signage:snapshot:${key}`;

  const HEARTBEAT_MS = 10000;      // we ping this often…
  const SILENCE_MS = 30000;        // …and give up on a socket silent this long
  const BACKOFF_BASE_MS = 250;
  const BACKOFF_CAP_MS = 4000;     // so a screen is back within ~4 s of the server
  const LOCAL_GRACE_MS = 1500;     // no `slide` by until+grace: advance on our own

  const state = {
    socket: null,
    connected: false,
    attempts: 0,
    lastSeq: null,
    lastHeard: 0,
    offsetMs: 0,                   // server clock − local clock
    timezone: stage.dataset.timezone || "Asia/Ho_Chi_Minh",
    slides: [],                    // [{id, notice_id, kind, title, duration, html}]
    showing: null,                 // {index, slide_id, started, until}
    fallbackTimer: null,
    received: 0,
  };
  window.signageScreen = state;    // for people (and tests) looking from the console

  const now = () => Date.now() + state.offsetMs;
  state.now = now;

  // Extension points for feature scripts loaded before this one:
  //   window.SignageSlides = {prepare(sectionEl, slide), enter(sectionEl, showing)}
  //   document events "signage:snapshot" (detail: the snapshot) and "signage:event".
  function hook(name, ...args) {
    const ext = window.SignageSlides;
    if (ext && typeof ext[name] === "function") {
      try { ext[name](...args); } catch (e) { console.error("SignageSlides." + name, e); }
    }
  }
  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail }));
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

  // ---- clock and date, in the office time zone -----------------------------------
  const timeFmt = new Intl.DateTimeFormat("vi-VN", {
    timeZone: state.timezone, hour: "2-digit", minute: "2-digit", hour12: false });
  const partsFmt = new Intl.DateTimeFormat("en-GB", {
    timeZone: state.timezone, weekday: "short", day: "numeric", month: "numeric", year: "numeric" });
  const WEEKDAYS = { Mon: "Thứ Hai", Tue: "Thứ Ba", Wed: "Thứ Tư", Thu: "Thứ Năm",
                     Fri: "Thứ Sáu", Sat: "Thứ Bảy", Sun: "Chủ Nhật" };
  function tickClock() {
    const t = new Date(now());
    document.getElementById("clock").textContent = timeFmt.format(t);
    const p = Object.fromEntries(partsFmt.formatToParts(t).map((x) => [x.type, x.value]));
    const weekday = WEEKDAYS[p.weekday] || "";
    // A portrait masthead is narrow: the short form keeps the office name on its lines.
    document.getElementById("date").textContent = stage.classList.contains("portrait")
      ? `${weekday}, ${p.day.padStart(2, "0")}/${p.month.padStart(2, "0")}/${p.year}`
      : `${weekday}, ngày ${p.day} tháng ${p.month} năm ${p.year}`;
  }
  tickClock();
  setInterval(tickClock, 1000);

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
  const WEEKDAY_NAMES = ["", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];
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
      el.classList.add("is-closed");
    } else {
      // The office's own words (admin: Giờ làm việc page), as text, never as HTML.
      const office = state.office || {};
      const title = document.createElement("h1");
      title.textContent = office.welcome_title || "Kính chào quý công dân";
      const text = document.createElement("p");
      text.textContent = office.welcome_text || "Chúc quý vị một ngày tốt lành.";
      el.replaceChildren(title, text);
      el.classList.remove("is-closed");
    }
  }

  function renderPlaylist() {
    slidesEl.replaceChildren(...state.slides.map(sectionFor), idleSection());
    // In the DOM now, so laid out: slides.js can measure and split a long one into pages.
    state.slides.forEach((slide, i) => hook("prepare", slidesEl.children[i], slide));
    show(state.showing || localShowing());
  }

  function show(showing) {
    if (!showing) showing = { slide_id: null, index: -1 };
    state.showing = showing;
    stage.dataset.currentSlide = showing.slide_id === null ? (showing.closed ? "closed" : "idle")
                                                           : showing.slide_id;
    const idle = slidesEl.querySelector('[data-slide-id="idle"]');
    if (showing.slide_id === null && idle) fillIdle(idle, showing);
    for (const el of slidesEl.children) {
      const current = showing.slide_id === null ? el === idle
                                                : String(el.dataset.slideId) === String(showing.slide_id);
      el.classList.toggle("is-current", current);
      if (current && el !== idle) hook("enter", el, showing);  // e.g. flip pages within the slide's time
    }
    if (showing.until) {
      animateProgress(showing);
      armFallback(showing);
    }
  }

  function animateProgress(showing) {
    const start = Date.parse(showing.started), end = Date.parse(showing.until);
    const total = Math.max(1, end - start), done = Math.min(total, Math.max(0, now() - start));
    progressEl.style.transition = "none";
    progressEl.style.width = `${(100 * done) / total}%`;
    void progressEl.offsetWidth;
    progressEl.style.transition = `width ${(total - done) / 1000}s linear`;
    progressEl.style.width = "100%";
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
    const wait = Date.parse(showing.until) - now() + (state.connected ? LOCAL_GRACE_MS : 0);
    state.fallbackTimer = setTimeout(() => show(localShowing()), Math.max(50, wait));
  }

  // ---- protocol -------------------------------------------------------------------
  function applySnapshot(msg, cached) {
    state.lastSeq = cached ? null : msg.seq;
    if (!cached) state.offsetMs = Date.parse(msg.at) - Date.now();
    state.slides = msg.playlist.slides;
    state.showing = msg.showing;
    state.office = msg.office;
    document.getElementById("office-name").textContent = msg.office.office_name;
    document.getElementById("ward-name").textContent = msg.office.ward_name;
    renderPlaylist();
    emit("signage:snapshot", msg);
    if (cached) return;
    try {
      localStorage.setItem(storageKey, JSON.stringify(msg));
    } catch (e) { /* storage full or disabled: the live view still works */ }
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
          hook("prepare", el, updated);
          if (el.classList.contains("is-current") && state.showing) hook("enter", el, state.showing);
        }
      }
    },
    "playlist.changed"(msg) {
      if (msg.office) state.office = msg.office;   // welcome texts, office hours
      state.slides = msg.playlist.slides;
      state.showing = msg.showing;
      renderPlaylist();
    },
    "screen.reload"() { location.reload(); },
    pong() {},
  };

  function onMessage(ev) {
    state.lastHeard = Date.now();
    let msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    state.received += 1;
    if (msg.type === "snapshot") { applySnapshot(msg); return; }
    if (state.lastSeq === null) return;              // events before the snapshot
    if (typeof msg.seq === "number") {
      if (msg.type === "pong") {
        if (msg.seq > state.lastSeq) resync();       // we missed something meanwhile
        return;
      }
      if (msg.seq <= state.lastSeq) return;          // already applied
      if (msg.seq !== state.lastSeq + 1) { resync(); return; }
      state.lastSeq = msg.seq;
      stage.dataset.seq = msg.seq;
    }
    const handler = handlers[msg.type];
    if (handler) handler(msg);
    emit("signage:event", msg);
  }

  function resync() {
    state.lastSeq = null;
    send({ type: "resync" });
  }

  function send(obj) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(obj));
  }

  function setLink(s) {
    linkEl.dataset.state = s;
    stage.dataset.link = s;
  }

  function connect() {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${stage.dataset.wsPath}`;
    setLink(state.attempts ? "offline" : "connecting");
    const ws = new WebSocket(url);
    state.socket = ws;
    ws.onopen = () => {
      state.connected = true;
      state.attempts = 0;
      state.lastHeard = Date.now();
      setLink("online");
    };
    ws.onmessage = onMessage;
    ws.onclose = () => {
      if (state.socket !== ws) return;
      state.connected = false;
      state.lastSeq = null;
      setLink("offline");
      if (state.showing) armFallback(state.showing);   // keep rotating alone
      const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** state.attempts);
      state.attempts += 1;
      setTimeout(connect, delay * (0.5 + Math.random() / 2));  // jitter: no thundering herd
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  setInterval(() => {
    if (!state.connected) return;
    if (Date.now() - state.lastHeard > SILENCE_MS) { state.socket.close(); return; }
    send({ type: "ping", id: Date.now() });
  }, HEARTBEAT_MS);

  // Paint the last thing we knew before the first byte arrives: never a blank TV.
  try {
    const cached = JSON.parse(localStorage.getItem(storageKey) || "null");
    if (cached && cached.playlist) {
      applySnapshot(cached, true);
    }
  } catch (e) { /* a corrupt cache is ignored */ }

  connect();

  // Keep a copy of this page and its files, so a TV that restarts while the server is
  // down still opens (sw.js). Only where the browser allows it (a secure context).
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch((e) => console.warn("no offline copy:", e));
  }
})();
