/* The ticket kiosk (/kiosk): tap a service, get a number.
 *
 * POST /api/v1/tickets (anonymous), then show the ticket and print it with the
 * browser (80 mm paper, kiosk.css @media print) unless the server printed it on its
 * ESC/POS printer. A failed print is reported by the server (503 print_failed) and
 * the number is voided there, so no ghost number waits in the queue.
 *
 * ?print=0 turns browser printing off (a kiosk without paper, tests).
 */

import { api, showError } from "./lib/api.js";
import { byId as $, make, showNumber } from "./lib/dom.js";
import { officeTime, waitText } from "./lib/office-time.js";

const RETURN_AFTER_MS = 15000;
const root = $("kiosk");
const time = officeTime(root.dataset.timezone);
const browserPrint = new URLSearchParams(location.search).get("print") !== "0";
const state = { busy: false, priority: null, returnTimer: null, last: null };

function tick() { $("k-clock").textContent = time.clock(Date.now()); }
tick();
setInterval(tick, 1000);

const message = (error) => showError($("k-message"), error, { hide: true });


// ---- priority lane ---------------------------------------------------------------
$("k-priority").addEventListener("click", (ev) => {
  const chip = ev.target.closest("[data-priority]");
  if (!chip) return;
  const on = chip.getAttribute("aria-pressed") !== "true";
  for (const other of document.querySelectorAll("[data-priority]")) other.setAttribute("aria-pressed", "false");
  chip.setAttribute("aria-pressed", on ? "true" : "false");
  state.priority = on ? chip.dataset.priority : null;
});

// ---- taking a number ------------------------------------------------------------
async function take(code, button) {
  if (state.busy) return;          // a double tap must not take two numbers
  state.busy = true;
  root.classList.add("is-busy");
  button.classList.add("is-pressed");
  message(null);
  try {
    const body = { service: code };
    if (state.priority) body.priority = state.priority;
    // A registered kiosk (/kiosk/<key>) says so; its numbers are not limited as an
    // anonymous caller's are.
    const headers = root.dataset.kioskKey ? { "X-Kiosk-Key": root.dataset.kioskKey } : {};
    show(await api("POST", "tickets", body, { headers }));
  } catch (error) {
    if (error.status === 0) message("Mất kết nối tới máy chủ. Xin vui lòng thử lại hoặc báo cán bộ.");
    else if (error.error && error.error.message) message(error);   // the server's reason
    else message("Không lấy được số, xin vui lòng thử lại.");
  } finally {
    state.busy = false;
    root.classList.remove("is-busy");
    button.classList.remove("is-pressed");
  }
}

// A service about to run out of numbers says so on its button before the range or the
// daily cap is used up (numbers_left / running_low, from the server); at 0 it is off.
function showSupply(button, { numbers_left: left, running_low: low }) {
  const note = button.querySelector(".k-left");
  if (left === undefined || left === null) return;
  button.disabled = left === 0;
  note.hidden = !low;
  note.textContent = left === 0 ? "Đã hết số hôm nay" : low ? `Chỉ còn ${left} số hôm nay` : "";
}

function show(ticket) {
  state.last = ticket;
  const button = document.querySelector(`[data-service="${CSS.escape(ticket.service)}"]`);
  if (button) showSupply(button, ticket);
  showNumber($("t-number"), ticket.display);
  $("t-service").textContent = ticket.service_name;
  $("t-priority").hidden = !ticket.priority_label;
  $("t-priority").textContent = ticket.priority_label ? `Ưu tiên: ${ticket.priority_label}` : "";
  $("t-time").textContent = time.stamp(ticket.issued_at);
  $("t-ahead").textContent = String(ticket.people_ahead);
  $("t-wait").textContent = waitText(ticket.estimated_wait_s);
  const qr = $("t-qr");
  const printed = ticket.printed === "escpos";
  const ready = new Promise((resolve) => {
    qr.onload = qr.onerror = resolve;
    qr.src = `/t/${encodeURIComponent(ticket.token)}/qr.svg`;
  });
  $("k-choose").hidden = true;
  $("k-ticket-view").hidden = false;
  $("k-print-state").textContent = printed
    ? "Phiếu đã được in. Xin mời nhận phiếu bên dưới."
    : browserPrint ? "Đang in phiếu…" : "Xin vui lòng ghi nhớ số thứ tự của quý vị.";
  root.dataset.ticket = ticket.display;
  if (!printed && browserPrint) {
    // Print once the QR is in (it is part of the ticket); the page stays usable.
    Promise.race([ready, new Promise((r) => setTimeout(r, 1500))]).then(() => {
      window.print();
      $("k-print-state").textContent = "Xin mời nhận phiếu. Chúc quý vị một ngày tốt lành.";
    });
  }
  clearTimeout(state.returnTimer);
  state.returnTimer = setTimeout(back, RETURN_AFTER_MS);
}

function back() {
  clearTimeout(state.returnTimer);
  $("k-ticket-view").hidden = true;
  $("k-choose").hidden = false;
  for (const chip of document.querySelectorAll("[data-priority]")) chip.setAttribute("aria-pressed", "false");
  state.priority = null;
  message(null);
}
$("k-done").addEventListener("click", back);

$("k-services").addEventListener("click", (ev) => {
  const button = ev.target.closest("[data-service]");
  if (button) take(button.dataset.service, button);
});

// Services change rarely (an admin pauses one): refresh the buttons now and then.
async function refreshServices() {
  try {
    const { items } = await api("GET", "services?active=1");
    const buttons = items.map((s) => {
      const b = make("button", "k-service");
      b.type = "button";
      b.dataset.service = s.code;
      b.append(make("span", "k-prefix", s.prefix), make("span", "k-service-name", s.name),
               make("span", "k-left"));
      showSupply(b, s);
      return b;
    });
    if (buttons.length) $("k-services").replaceChildren(...buttons);
  } catch (error) { /* offline for a moment: keep the buttons we have */ }
}
setInterval(refreshServices, 60000);
