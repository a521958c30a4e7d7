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
    document.getElementById("date").textContent =
      `${WEEKDAYS[p.weekday] || ""}, ngày ${p.day} tháng ${p.month} năm ${p.year}`;
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

  function renderPlaylist() {
    const current = state.showing && state.showing.slide_id;
    slidesEl.replaceChildren(...state.slides.map(sectionFor));
    // In the DOM now, so laid out: slides.js can measure and split a long one into pages.
    state.slides.forEach((slide, i) => hook("prepare", slidesEl.children[i], slide));
    if (!state.slides.length) {
      const idle = document.createElement("section");
      idle.className = "slide slide-welcome is-current";
      idle.innerHTML = "<h1>Kính chào quý công dân</h1><p>Chúc quý vị một ngày tốt lành.</p>";
      slidesEl.replaceChildren(idle);
      return;
    }
    show(state.showing || localShowing(), current === null);
  }

  function show(showing, force) {
    if (!showing) return;
    state.showing = showing;
    stage.dataset.currentSlide = showing.slide_id;
    for (const el of slidesEl.children) {
      const current = String(el.dataset.slideId) === String(showing.slide_id);
      el.classList.toggle("is-current", current);
      if (current) hook("enter", el, showing);  // e.g. flip pages within the slide's time
    }
    animateProgress(showing);
    armFallback(showing);
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

  // Where the rotation is now, computed from the last showing we were told.
  function localShowing() {
    const n = state.slides.length;
    if (!n) return null;
    let index = 0, started = now();
    if (state.showing) {
      index = state.slides.findIndex((s) => s.id === state.showing.slide_id);
      started = Date.parse(state.showing.started);
      if (index < 0) { index = 0; started = now(); }
    }
    let until = started + state.slides[index].duration * 1000;
    let guard = 10000;
    while (until <= now() && guard-- > 0) {
      index = (index + 1) % n;
      started = until;
      until = started + state.slides[index].duration * 1000;
    }
    const iso = (ms) => new Date(ms).toISOString();
    return { index, slide_id: state.slides[index].id, started: iso(started), until: iso(until) };
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
    slide(msg) { if (msg.showing) show(msg.showing); else { state.showing = null; renderPlaylist(); } },
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
})();
