/* Inside the notice editor's preview frame (templates/admin/notices/preview_frame.html).
 *
 * The editor page sends {type: "render", html, kind} by postMessage (same origin only);
 * the slide goes into the stage exactly as screen.js puts it there, and slides.js lays it
 * out into pages. The frame answers {type: "pages", count, orientation} whenever the
 * layout settles, and shows the page asked for by {type: "page", index}. */

import { byId, readJson } from "./lib/dom.js";
import { officeTime } from "./lib/office-time.js";
import { runMastheadClock } from "./masthead.js";
import { createQueuePanel } from "./queue-panel.js";
import { createPagination } from "./slides.js";
import { createTicker } from "./ticker.js";

const stage = byId("stage");
const section = byId("preview-slide");
const orientation = stage.dataset.orientation;
const pages = createPagination();
let page = 0;

const tell = (message) => {
  if (window.parent !== window) window.parent.postMessage(message, location.origin);
};

// The clock and date as a screen shows them (office time zone; the preview is a picture).
const time = officeTime(stage.dataset.timezone);
runMastheadClock(stage, time, { everyMs: 30000 });

// The zone's queue panel and ticker, drawn by the screen's own modules (no voice): they
// take the room they take on the TV, so the slide gets the same box and the same pages.
const layout = readJson("zone-layout") || {};
createQueuePanel({ stage, panelEl: byId("queue-panel"), overlayEl: byId("call-overlay"),
                   speech: null, time, now: Date.now }).snapshot({ queue: layout.queue || null });
createTicker(byId("ticker"), { mode: stage.dataset.ticker }).snapshot({ ticker: layout.ticker || [] });

function report() {
  const count = parseInt(section.dataset.pages || "1", 10) || 1;
  page = Math.min(page, count - 1);
  pages.showPage(section, page);
  tell({ type: "pages", orientation, count, page });
}

// slides.js sets data-pages after each layout (fonts loading, box changes): report it.
new MutationObserver(report).observe(section, { attributes: true, attributeFilter: ["data-layout"] });

window.addEventListener("message", (event) => {
  if (event.origin !== location.origin || event.source !== window.parent) return;
  const msg = event.data || {};
  if (msg.type === "render" && typeof msg.html === "string") {
    const kind = ["law", "results"].includes(msg.kind) ? msg.kind : "procedure";
    section.className = `slide slide-${kind} is-current`;
    section.innerHTML = msg.html;   // server-rendered, sanitised slide HTML only
    delete section.dataset.pages;
    pages.prepare(section);
    report();
  } else if (msg.type === "page" && Number.isInteger(msg.index)) {
    page = Math.max(0, msg.index);
    report();
  }
});

stage.dataset.ready = "1";
tell({ type: "ready", orientation });
