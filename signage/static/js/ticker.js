/* The ticker: law-outreach short texts along the bottom of the screen.
 *
 * Texts come in the snapshot (`ticker`: the zone's approved law messages that have a
 * ticker text, in playlist order) and again with `notice.updated` / `playlist.changed`.
 * Two ways to show them (SIGNAGE_TICKER, rendered as the stage's `data-ticker`):
 *
 * - "page" (the default): one text at a time, standing still. A text longer than the
 *   strip is split into pages that each fit one line at TV size, between words (never
 *   inside one), preferring breaks after punctuation and pages of even length; a page
 *   that the next one continues ends with a gold "…". Each page stays long enough to be
 *   read from a few metres (proportional to its length, `dwellMs`), then fades (opacity)
 *   into the next; after the last page of the last text, the first comes again. Nothing
 *   moves between two fades, so the compositor makes no frames: a TV page that runs all
 *   day costs next to nothing (issue 13; docs/benchmarks.md, "The TV page").
 * - "scroll": the classic "dòng chữ chạy". The strip moves at a constant speed in stage
 *   pixels per second, however long the texts are: one lap of the texts is repeated until
 *   it is wider than the window, two laps sit side by side, and the track slides by
 *   exactly one lap, forever (a compositor transform; smooth, but 60 frames a second
 *   for as long as the page is open).
 *
 * prefers-reduced-motion: the page mode without fades, and the page mode instead of
 * the scrolling one.
 *
 * screen.js hands it the snapshot and the events: createTicker(el, {mode}).snapshot(msg) / .event(msg).
 */

const SPEED_PX_PER_S = 120;   // scroll: about 4 Vietnamese syllables a second at 34 px
const LABEL = "Tuyên truyền";
export const TICKER_MODES = ["page", "scroll"];

// page: how long a page stays — time to look up at the screen, then about 12 characters
// (3 syllables) a second, between 6 s and 15 s — and its fade: out, then the next in. A
// fade makes the compositor draw ~60 frames a second while it runs: short and rare.
const DWELL_BASE_MS = 3000;
const DWELL_PER_CHAR_MS = 80;
const DWELL_MIN_MS = 6000;
const DWELL_MAX_MS = 15000;
const FADE_OUT_MS = 200;
const FADE_IN_MS = 300;
// page: what a break costs (the fewest pages first, then even ones, then after punctuation).
const PAGE_COST = 1000;
const SLACK_COST = 100;
const PUNCTUATION_BONUS = 30;
const BREAKS_WELL_AFTER = /(?:[,.;:!?)]|^[–—-])$/u;   // "…, " "…: " or a dash standing alone

/** How long a page of `text` stays on the glass (ms). */
export function dwellMs(text) {
  return Math.min(DWELL_MAX_MS, Math.max(DWELL_MIN_MS, DWELL_BASE_MS + DWELL_PER_CHAR_MS * text.length));
}

/**
 * Words (with their widths) into pages of one line each: [[from, to), …] of word indexes.
 * A page holds words[from..to) if their widths, the spaces between them and — for any page
 * but the last — the continuation mark fit `room`; a single word wider than that is a page
 * of its own (never cut). Of all the ways to do it: the fewest pages, then the most even,
 * then breaks after punctuation.
 */
export function breakIntoPages(words, widths, { space, more, room }) {
  const n = words.length;
  const best = new Array(n + 1).fill(Infinity);
  const from = new Array(n + 1).fill(0);
  best[0] = 0;
  for (let to = 1; to <= n; to += 1) {
    let width = -space;
    for (let start = to - 1; start >= 0; start -= 1) {
      width += widths[start] + space;
      const line = width + (to < n ? more : 0);
      if (line > room && start < to - 1) break;
      const slack = Math.max(0, room - line) / room;
      const cost = best[start] + PAGE_COST + SLACK_COST * slack * slack
        - (to < n && BREAKS_WELL_AFTER.test(words[to - 1]) ? PUNCTUATION_BONUS : 0);
      if (cost < best[to]) { best[to] = cost; from[to] = start; }
    }
  }
  const pages = [];
  for (let to = n; to > 0; to = from[to]) pages.unshift([from[to], to]);
  return pages;
}

export function createTicker(tickerEl, { mode = "page" } = {}) {
  let texts = [];
  let built = false;
  const reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  const still = () => Boolean(reducedMotion && reducedMotion.matches);
  const modeNow = () => (mode === "scroll" && !still() ? "scroll" : "page");

  // ---- common ------------------------------------------------------------------------------
  let windowEl = null;
  function frame(kind) {
    const label = document.createElement("div");
    label.className = "ticker-label";
    label.textContent = LABEL;
    windowEl = document.createElement("div");
    windowEl.className = "ticker-window";
    tickerEl.dataset.mode = kind;
    tickerEl.classList.toggle("is-paged", kind === "page");
    tickerEl.replaceChildren(label, windowEl);
  }

  function stop() {
    stopScroll();
    stopPages();
  }

  // ---- scroll ------------------------------------------------------------------------------
  let animation = null;
  function stopScroll() {
    if (animation) { animation.cancel(); animation = null; }
  }

  function lapOf(list, copies) {
    const lap = document.createElement("div");
    lap.className = "ticker-lap";
    for (let c = 0; c < copies; c += 1) {
      for (const text of list) {
        const item = document.createElement("span");
        item.className = "ticker-item";
        item.textContent = text;   // plain text: never HTML
        lap.append(item);
      }
    }
    return lap;
  }

  function buildScroll() {
    frame("scroll");
    const track = document.createElement("div");
    track.className = "ticker-track";
    windowEl.append(track);
    // Offset sizes are layout pixels of the stage, untouched by its scale transform.
    track.append(lapOf(texts, 1));
    const once = track.firstElementChild.offsetWidth || 1;
    const copies = Math.max(1, Math.ceil(windowEl.clientWidth / once));
    track.replaceChildren(lapOf(texts, copies), lapOf(texts, copies));
    const lap = track.firstElementChild.offsetWidth;
    tickerEl.dataset.lap = String(lap);
    animation = track.animate(
      [{ transform: "translateX(0)" }, { transform: `translateX(${-lap}px)` }],
      { duration: (lap / SPEED_PX_PER_S) * 1000, iterations: Infinity, easing: "linear" });
  }

  // ---- page --------------------------------------------------------------------------------
  let pages = [];          // [{text, index (of its text), part, parts}]
  let at = 0;              // the page on the glass
  let pageEl = null;
  let timer = null;
  let fading = null;

  function stopPages() {
    clearTimeout(timer);
    timer = null;
    if (fading) { fading.cancel(); fading = null; }
  }

  // Every text's words measured in one layout (the stage's font, size and weight), then
  // broken into pages for the width of the strip.
  function paginate() {
    const measure = document.createElement("div");
    measure.className = "ticker-page ticker-measure";
    measure.setAttribute("aria-hidden", "true");
    const words = texts.map((t) => t.split(/\s+/).filter(Boolean));
    const unique = [...new Set(words.flat())];
    const spans = unique.map((w) => {
      const s = document.createElement("span");
      s.textContent = w;
      return s;
    });
    const spaceEl = document.createElement("span");
    spaceEl.textContent = " ";
    const moreEl = document.createElement("span");
    moreEl.className = "ticker-more";
    measure.append(...spans, spaceEl, moreEl);
    windowEl.append(measure);
    // Fractional widths (getBoundingClientRect) in layout pixels: undo the stage's scale.
    const scale = (windowEl.getBoundingClientRect().width / windowEl.clientWidth) || 1;
    const px = (el) => el.getBoundingClientRect().width / scale;
    const widthOf = new Map(unique.map((w, i) => [w, px(spans[i])]));
    const style = getComputedStyle(measure);
    const room = windowEl.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 2;
    const sizes = { space: px(spaceEl), more: px(moreEl), room: Math.max(1, room) };
    measure.remove();
    const out = [];
    const unmeasured = !windowEl.clientWidth;   // not laid out (a hidden frame): whole texts
    words.forEach((list, index) => {
      const parts = unmeasured ? [[0, list.length]]
        : breakIntoPages(list, list.map((w) => widthOf.get(w)), sizes);
      parts.forEach(([a, b], part) => {
        out.push({ text: list.slice(a, b).join(" "), index, part, parts: parts.length });
      });
    });
    return out;
  }

  function paint(fade) {
    const page = pages[at];
    const put = () => {
      pageEl.textContent = page.text;   // plain text: never HTML
      pageEl.classList.toggle("is-continued", page.part < page.parts - 1);
      pageEl.dataset.text = String(page.index);
      pageEl.dataset.part = `${page.part + 1}/${page.parts}`;
    };
    if (fading) { fading.cancel(); fading = null; }
    if (!fade || still() || !pageEl.textContent) { put(); return; }
    // Out, change, in: two short opacity animations (the compositor's), nothing in between.
    const out = pageEl.animate([{ opacity: 1 }, { opacity: 0 }], { duration: FADE_OUT_MS, fill: "forwards" });
    fading = out;
    out.finished.then(() => {
      if (fading !== out) return;
      put();
      out.cancel();
      fading = pageEl.animate([{ opacity: 0 }, { opacity: 1 }], { duration: FADE_IN_MS });
    }, () => { /* cancelled: a newer page took over */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (pages.length > 1) {
      timer = setTimeout(() => {
        at = (at + 1) % pages.length;
        paint(true);
        schedule();
      }, dwellMs(pages[at].text) + (still() ? 0 : FADE_OUT_MS));
    }
  }

  // Which page to show after the texts changed: a new (or edited) text at once, from its
  // first page; else the text that was on the glass stays where it was.
  function placeAfterChange(before, previous) {
    const fresh = texts.findIndex((t) => !before.includes(t));
    if (fresh >= 0) return pages.findIndex((p) => p.index === fresh);
    if (!previous) return 0;
    const index = texts.indexOf(before[previous.index]);
    if (index < 0) {
      const after = pages.findIndex((p) => p.index >= Math.min(previous.index, texts.length - 1));
      return Math.max(0, after);
    }
    const same = pages.filter((p) => p.index === index);
    return pages.indexOf(same[Math.min(previous.part, same.length - 1)]);
  }

  function buildPages(before) {
    const previous = built && pageEl && pages[at] ? pages[at] : null;
    const onGlass = previous ? pageEl.textContent : "";
    if (!built || !pageEl || tickerEl.dataset.mode !== "page") {
      frame("page");
      pageEl = document.createElement("p");
      pageEl.className = "ticker-page";
      windowEl.append(pageEl);
    }
    pages = paginate();
    at = Math.max(0, placeAfterChange(before, previous));
    if (pages[at].text !== onGlass || !previous) paint(Boolean(previous));
    schedule();
  }

  // ---- both --------------------------------------------------------------------------------
  function build(before) {
    if (!texts.length) {
      stop();
      built = false;
      pageEl = null;
      pages = [];
      tickerEl.hidden = true;
      tickerEl.replaceChildren();
      return;
    }
    tickerEl.hidden = false;
    if (modeNow() === "scroll") {
      stop();
      pageEl = null;
      pages = [];
      buildScroll();
    } else {
      stopScroll();
      buildPages(before);
    }
    built = true;
  }

  function update(list) {
    if (!Array.isArray(list)) return;
    const next = list.map((t) => String(t).trim()).filter(Boolean);
    if (next.length === texts.length && next.every((t, i) => t === texts[i]) && (built || !next.length)) return;
    const before = texts;
    texts = next;
    build(before);
  }

  // Widths change when the web font arrives: measure again (the text on the glass stays).
  if (document.fonts) document.fonts.addEventListener("loadingdone", () => { if (texts.length) build(texts); });
  // The viewer's motion preference changed: scroll or page again.
  if (reducedMotion && reducedMotion.addEventListener) {
    reducedMotion.addEventListener("change", () => { if (texts.length) build(texts); });
  }

  return {
    snapshot(msg) { update(msg.ticker); },
    event(msg) {
      if (msg.type === "notice.updated" || msg.type === "playlist.changed") update(msg.ticker);
    },
    get texts() { return texts.slice(); },
    get mode() { return texts.length ? tickerEl.dataset.mode : modeNow(); },
    // page mode: the pages in the order they are shown, and which one is on the glass
    get pages() { return pages.map((p) => ({ ...p })); },
    get page() { return pages.length ? at : -1; },
    speed: SPEED_PX_PER_S,
  };
}
