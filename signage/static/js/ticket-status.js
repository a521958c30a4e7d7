/* A citizen's ticket page (/t/<token>, opened from the QR code on the ticket): where the
 * ticket stands, refreshed every 15 s while the phone has the page open. */

import { api } from "./lib/api.js";
import { byId, readJson, showNumber } from "./lib/dom.js";
import { waitText } from "./lib/office-time.js";

const REFRESH_MS = 15000;
const root = byId("status");
const labels = readJson("status-labels") || {};
showNumber(byId("s-number"), byId("s-number").textContent.trim());

async function refresh() {
  try {
    const t = await api("GET", `tickets/status/${encodeURIComponent(root.dataset.token)}`);
    root.dataset.status = t.status;
    let state = labels[t.status] || t.status;
    if (t.status === "called" && t.counter) state += ` số ${t.counter}`;
    byId("s-state").textContent = state;
    byId("s-ahead").textContent = String(t.people_ahead);
    byId("s-wait").textContent = waitText(t.estimated_wait_s);
    byId("s-serving").textContent =
      t.now_serving.map((s) => `${s.ticket} → quầy ${s.counter}`).join(", ") || "—";
  } catch (e) { /* offline for a moment: try again later */ }
}
setInterval(refresh, REFRESH_MS);
