/* The pairing page of a new TV (/screen; signage/web/pairing.py, docs/protocol.md).
 *
 * It waits on `WS /ws/pair` (the screens' protocol, lib/live.js) until an admin has typed
 * its code: then (`screen.paired`, or a snapshot that says "paired") it opens /screen
 * again, which the server answers with the new screen's page. When the code expires it
 * does the same and gets a fresh code. Nothing is polled.
 */

import { connectLive } from "./lib/live.js";
import { byId } from "./lib/dom.js";

const root = byId("pairing");
const codeEl = byId("code");
const countdownEl = byId("countdown");
const linkEl = byId("link-state");
let expiresAt = Date.parse(root.dataset.expiresAt);
let leaving = false;

// Only while the server answers: a TV that reloads a page the server cannot give
// would be left on the browser's own error page for good.
function again() {
  if (leaving || !live.connected) return;
  leaving = true;
  location.replace("/screen");
}

function paired() {
  root.dataset.state = "paired";
  again();
}

const live = connectLive({
  path: root.dataset.wsPath,
  onSnapshot(msg) {
    const pairing = msg.pairing || {};
    if (pairing.state === "paired") { paired(); return; }
    if (pairing.state !== "pending") { again(); return; }   // expired meanwhile
    codeEl.textContent = pairing.code;
    expiresAt = Date.parse(pairing.expires_at);
  },
  onEvent(msg) { if (msg.type === "screen.paired") paired(); },
  onLink(state) { linkEl.dataset.state = state; },
});

function tick() {
  const left = Math.max(0, Math.round((expiresAt - live.now()) / 1000));
  countdownEl.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  if (left === 0) again();   // (offline: at the first tick after the server is back)
}
setInterval(tick, 1000);
tick();
live.start();
