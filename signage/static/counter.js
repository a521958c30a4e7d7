/* The counter console (/counter): an officer calls, recalls, skips, holds, transfers
 * and completes, through the same REST endpoints as any integrator.
 *
 * Auth: a staff session (signed in at /admin/login; writes carry X-CSRFToken) or,
 * until then, an operator bearer token pasted once and kept in localStorage.
 * Keyboard: N next, R recall, C complete, S skip (no-show), H hold, T transfer.
 */
(() => {
  "use strict";

  const POLL_MS = 3000;
  const root = document.getElementById("console");
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = "signage:operator-token";
  const COUNTER_KEY = "signage:counter-id";
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const sessionAuth = root.dataset.auth === "session";
  const state = { queue: null, counterId: Number(localStorage.getItem(COUNTER_KEY)) || null, busy: false };
  window.signageCounter = state;

  const STATUS = { waiting: "đang chờ", called: "đang phục vụ", held: "tạm dừng", skipped: "vắng mặt",
                   done: "xong", void: "hủy", expired: "hết hạn" };

  function token() { return localStorage.getItem(TOKEN_KEY) || ""; }

  function headers(write) {
    const h = { Accept: "application/json" };
    if (write) h["Content-Type"] = "application/json";
    if (!sessionAuth && token()) h.Authorization = `Bearer ${token()}`;
    if (sessionAuth && write && csrf) h["X-CSRFToken"] = csrf.content;
    return h;
  }

  function say(text, bad) {
    const el = $("c-message");
    el.textContent = text || "";
    el.classList.toggle("is-bad", Boolean(bad));
  }

  function needAuth(show) {
    $("c-auth").hidden = !show;
    $("c-main").classList.toggle("is-locked", show);
  }

  $("c-auth-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    localStorage.setItem(TOKEN_KEY, $("c-token").value.trim());
    $("c-token").value = "";
    needAuth(false);
    say("Đã lưu mã truy cập.");
  });

  // ---- reading the queue ----------------------------------------------------------
  async function load() {
    try {
      const r = await fetch("/api/v1/queue", { headers: headers(false) });
      if (!r.ok) return;
      state.queue = await r.json();
      render();
    } catch (e) {
      say("Mất kết nối tới máy chủ…", true);
    }
  }

  function counter() {
    const q = state.queue;
    return q ? q.counters.find((c) => c.id === state.counterId) : null;
  }

  function item(ticket, withCall) {
    const li = document.createElement("li");
    li.dataset.ticketId = ticket.id;
    const label = document.createElement("span");
    label.className = "c-item-number";
    label.textContent = ticket.display;
    li.append(label);
    const meta = document.createElement("span");
    meta.className = "c-item-meta";
    const when = new Date(ticket.issued_at).toLocaleTimeString("vi-VN", {
      timeZone: root.dataset.timezone, hour: "2-digit", minute: "2-digit" });
    meta.textContent = [ticket.service, when, ticket.priority ? "ưu tiên" : "",
                        ticket.status ? STATUS[ticket.status] || ticket.status : ""].filter(Boolean).join(" · ");
    li.append(meta);
    if (ticket.priority) li.classList.add("is-priority");
    if (withCall) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = "Gọi";
      b.addEventListener("click", () => act("call", { ticket_id: ticket.id }));
      li.append(b);
    }
    return li;
  }

  function render() {
    const q = state.queue;
    const select = $("c-counter");
    if (select.options.length !== q.counters.length) {
      select.replaceChildren(...q.counters.map((c) => new Option(`${c.number} — ${c.name}`, c.id)));
    }
    if (!counter() && q.counters.length) state.counterId = q.counters[0].id;
    select.value = String(state.counterId);
    const mine = counter();
    if (!mine) return;
    const current = mine.current;
    $("c-now-number").textContent = current ? current.display : "—";
    $("c-now-service").textContent = current
      ? `${current.queue_service_name}${current.priority_label ? " · Ưu tiên: " + current.priority_label : ""}`
      : "Chưa gọi số nào";
    root.dataset.current = current ? current.display : "";
    const served = new Set(mine.services);
    const waiting = q.waiting.filter((t) => served.has(t.service)
      && (t.target_counter_id === null || t.target_counter_id === mine.id));
    $("c-waiting-count").textContent = String(waiting.length);
    $("c-waiting").replaceChildren(...waiting.slice(0, 50).map((t) => item(t, false)));
    const aside = q.set_aside.filter((t) => t.counter_id === mine.id || served.has(t.service));
    $("c-aside").replaceChildren(...aside.map((t) => item(t, true)));
    const options = [
      ...q.services.filter((s) => s.active).map((s) => new Option(`Dịch vụ: ${s.name}`, `service:${s.code}`)),
      ...q.counters.filter((c) => c.id !== mine.id && c.active)
        .map((c) => new Option(`Quầy ${c.number}: ${c.name}`, `counter:${c.id}`)),
    ];
    const to = $("c-transfer-to");
    if (to.options.length !== options.length) to.replaceChildren(...options);
  }

  $("c-counter").addEventListener("change", (ev) => {
    state.counterId = Number(ev.target.value);
    localStorage.setItem(COUNTER_KEY, String(state.counterId));
    render();
  });

  // ---- acting ---------------------------------------------------------------------
  const DONE = { "call-next": "Đã gọi", call: "Đã gọi", recall: "Đã gọi lại", complete: "Đã hoàn thành",
                 skip: "Đã ghi vắng mặt", hold: "Đã tạm dừng", transfer: "Đã chuyển" };

  async function act(action, body) {
    if (state.busy || !state.counterId) return;
    if (!sessionAuth && !token()) { needAuth(true); return; }
    state.busy = true;
    root.classList.add("is-busy");
    try {
      const r = await fetch(`/api/v1/counters/${state.counterId}/${action}`, {
        method: "POST", headers: headers(true), body: JSON.stringify(body || {}),
      });
      const data = await r.json().catch(() => ({}));
      if (r.status === 401) { needAuth(!sessionAuth); say("Cần đăng nhập lại.", true); return; }
      if (!r.ok) { say((data.error && data.error.message) || `Lỗi ${r.status}`, true); return; }
      say(`${DONE[action] || "Xong"}: ${data.display}`);
      await load();
    } catch (e) {
      say("Mất kết nối tới máy chủ…", true);
    } finally {
      state.busy = false;
      root.classList.remove("is-busy");
    }
  }

  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => {
      if (button.dataset.action === "transfer") { $("c-transfer").hidden = false; $("c-transfer-to").focus(); return; }
      act(button.dataset.action);
    });
  }
  $("c-transfer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const [kind, value] = $("c-transfer-to").value.split(":");
    $("c-transfer").hidden = true;
    act("transfer", kind === "service" ? { service: value } : { counter: Number(value) });
  });
  $("c-transfer-cancel").addEventListener("click", () => { $("c-transfer").hidden = true; });

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target.closest("input, select, textarea")) return;
    const button = document.querySelector(`[data-key="${ev.key.toLowerCase()}"]`);
    if (button) { ev.preventDefault(); button.click(); }
  });

  needAuth(!sessionAuth && !token());
  load();
  setInterval(load, POLL_MS);
})();
