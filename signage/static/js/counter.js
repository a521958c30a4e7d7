/* The counter console (/counter): an officer calls, recalls, skips, holds, transfers
 * and completes, through the same REST endpoints as any integrator.
 *
 * The queue comes live over WS /ws/counter (docs/protocol.md, "Counter console"): a
 * snapshot, then a `queue.state` event whenever the queue changed — a ticket taken at the
 * kiosk is on the console a moment later, and nothing is polled. lib/live.js keeps the
 * protocol (seq, resync, heartbeat, reconnect with jittered backoff).
 *
 * Auth: the officer's own staff session (signed in at /admin/login; writes carry
 * X-CSRFToken), nothing else: no token is kept in the browser, so a counter PC holds no
 * secret once its officer has logged out.
 * Keyboard: N next, R recall, C complete, S skip (no-show), H hold, T transfer.
 */

import { connectLive } from "./lib/live.js";
import { api, showError } from "./lib/api.js";
import { byId as $, make, say } from "./lib/dom.js";
import { officeTime } from "./lib/office-time.js";

// Earlier versions kept a pasted operator token here: never leave it on the PC.
localStorage.removeItem("signage:operator-token");
const COUNTER_KEY = "signage:counter-id";
const root = $("console");
const time = officeTime(root.dataset.timezone);
const sessionAuth = root.dataset.auth === "session";
const state = { queue: null, counterId: Number(localStorage.getItem(COUNTER_KEY)) || null, busy: false,
                staff: null, dutyAt: null };

const STATUS = { waiting: "đang chờ", called: "đang phục vụ", held: "tạm dừng", skipped: "vắng mặt",
                 done: "xong", void: "hủy", expired: "hết hạn" };
const LINK = { connecting: "Đang kết nối…", online: "Trực tuyến", offline: "Mất kết nối…",
               "signed-out": "Chưa đăng nhập" };

const message = (text) => say($("c-message"), text);
const problem = (error) => showError($("c-message"), error);

function needAuth(show) {
  $("c-auth").hidden = !show;
  $("c-main").classList.toggle("is-locked", show);
}

// ---- the live queue ---------------------------------------------------------------
const live = connectLive({
  path: "/ws/counter",
  protocols: () => ["signage.console"],
  onSnapshot(msg) {
    showStaff(msg.staff);
    state.staff = msg.staff;
    state.queue = msg.queue;
    render();
    // This PC's counter, chosen before: its officer is on duty there again.
    if (localStorage.getItem(COUNTER_KEY)) goOnDuty();
  },
  onEvent(msg) {
    if (msg.type === "queue.state" && msg.queue) {
      state.queue = msg.queue;
      render();
    }
  },
  onLink: showLink,
  onClose({ opened }) { if (!opened) checkAccess(); },
});

function showLink(link) {
  root.dataset.link = link;
  $("c-link").dataset.state = link;
  $("c-link").textContent = LINK[link];
}

// An upgrade refused and an unreachable server look the same to a page: ask plainly.
let checking = false;
async function checkAccess() {
  if (checking) return;
  checking = true;
  try {
    await api("GET", "/counter/access");
  } catch (error) {
    if (error.status === 401 || error.status === 403) {
      live.stop();              // no use knocking again until someone signs in
      showLink("signed-out");
      needAuth(true);
      problem(error);
    }                           // else the server is away: the socket keeps trying
  } finally {
    checking = false;
  }
}

function showStaff(staff) {
  if (!staff) return;
  const who = $("c-who");
  who.replaceChildren("Cán bộ: ", make("strong", null, staff.name));
}

function counter() {
  const q = state.queue;
  return q ? q.counters.find((c) => c.id === state.counterId) : null;
}

function item(ticket, withCall) {
  const li = make("li");
  li.dataset.ticketId = ticket.id;
  const meta = [ticket.service, time.clock(ticket.issued_at), ticket.priority ? "ưu tiên" : "",
                ticket.status ? STATUS[ticket.status] || ticket.status : ""].filter(Boolean).join(" · ");
  li.append(make("span", "c-item-number", ticket.display), make("span", "c-item-meta", meta));
  if (ticket.priority) li.classList.add("is-priority");
  if (withCall) {
    const b = make("button", null, "Gọi");
    b.type = "button";
    b.addEventListener("click", () => act("call", { ticket_id: ticket.id }));
    li.append(b);
  }
  return li;
}

// "Quầy 1 – Hộ tịch", not "1 — Quầy 1 – Hộ tịch": a counter's name often says its number.
const counterLabel = (c) => (/^quầy\s*\d+/i.test(c.name) ? c.name : `Quầy ${c.number} — ${c.name}`);

function render() {
  const q = state.queue;
  const select = $("c-counter");
  if (select.options.length !== q.counters.length) {
    select.replaceChildren(...q.counters.map((c) => new Option(counterLabel(c), c.id)));
  }
  if (!counter() && q.counters.length) state.counterId = q.counters[0].id;
  select.value = String(state.counterId);
  const mine = counter();
  if (!mine) return;
  const current = mine.current;
  // Idle: a calm line, not a big red dash; after a transfer or completion, ready for the next.
  $("c-now-number").textContent = current ? current.display : "—";
  root.classList.toggle("is-idle", !current);
  $("c-now-service").textContent = current
    ? `${current.queue_service_name}${current.priority_label ? " · Ưu tiên: " + current.priority_label : ""}`
    : "Sẵn sàng gọi số tiếp theo (phím N)";
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
      .map((c) => new Option(counterLabel(c), `counter:${c.id}`)),
  ];
  const to = $("c-transfer-to");
  if (to.options.length !== options.length) to.replaceChildren(...options);
}

$("c-counter").addEventListener("change", (ev) => {
  state.counterId = Number(ev.target.value);
  localStorage.setItem(COUNTER_KEY, String(state.counterId));
  render();
  goOnDuty();
});

// The officer who picks a counter is on duty there (docs/evaluation.md): their name on
// the lobby's panel and on the counter's rating tablet. Only an explicit choice (or this
// PC's remembered counter) does it: opening a console never takes over someone's counter.
async function goOnDuty() {
  if (!sessionAuth || !state.staff || state.staff.role !== "operator") return;
  const at = state.counterId;
  if (!at || state.dutyAt === at) return;
  state.dutyAt = at;
  try {
    await api("POST", `counters/${at}/duty`);
  } catch (error) {
    state.dutyAt = null;
    problem(error);
  }
}

// ---- acting: plain POSTs; the change comes back over the socket like anyone's ----------
const DONE = { "call-next": "Đã gọi", call: "Đã gọi", recall: "Đã gọi lại", complete: "Đã hoàn thành",
               skip: "Đã ghi vắng mặt", hold: "Đã tạm dừng", transfer: "Đã chuyển" };

async function act(action, body) {
  if (state.busy || !state.counterId) return;
  if (!sessionAuth) { needAuth(true); return; }
  state.busy = true;
  root.classList.add("is-busy");
  try {
    const ticket = await api("POST", `counters/${state.counterId}/${action}`, body || {});
    message(`${DONE[action] || "Xong"}: ${ticket.display}`);
  } catch (error) {
    if (error.status === 401) { needAuth(true); problem("Cần đăng nhập lại."); return; }
    problem(error.status === 0 ? "Mất kết nối tới máy chủ…" : error);
  } finally {
    state.busy = false;
    root.classList.remove("is-busy");
  }
}

for (const button of document.querySelectorAll("[data-action]")) {
  button.addEventListener("click", () => {
    if (button.dataset.action === "transfer") { openTransfer(); return; }
    act(button.dataset.action);
  });
}
$("c-transfer").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const [kind, value] = $("c-transfer-to").value.split(":");
  $("c-transfer").hidden = true;
  act("transfer", kind === "service" ? { service: value } : { counter: Number(value) });
});
$("c-transfer-cancel").addEventListener("click", closeTransfer);

// Transferring sends the ticket elsewhere: its own service is never the first choice.
function openTransfer() {
  const to = $("c-transfer-to");
  const mine = counter();
  const own = mine && mine.current ? `service:${mine.current.service}` : null;
  const first = [...to.options].find((o) => o.value !== own);
  if (first) to.value = first.value;
  $("c-transfer").hidden = false;
  to.focus();
}
function closeTransfer() {
  $("c-transfer").hidden = true;
  $("c-now-number").focus();
}

document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape" && !$("c-transfer").hidden) { ev.preventDefault(); closeTransfer(); return; }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target.closest("input, select, textarea")) return;
  const button = document.querySelector(`[data-key="${ev.key.toLowerCase()}"]`);
  if (button) { ev.preventDefault(); button.click(); }
});

needAuth(!sessionAuth);
if (sessionAuth) live.start();
else showLink("signed-out");
