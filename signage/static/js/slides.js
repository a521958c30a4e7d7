/* Slide pagination for procedure and law slides (docs/slides.md).
 *
 * The server renders a notice's whole content once, as blocks (section.block) of units
 * (.unit: one dossier item, one step, one channel, one paragraph, one list item). Only
 * the browser knows how tall text really is in this font at this size, so the split is
 * done here: `prepare` pours the units into page × column boxes that fit the slide,
 * moving a unit that does not fit whole to the next column (never shrinking it); only a
 * unit taller than a whole column is cut, between words, and continues on the next one.
 * `enter` flips the pages evenly across the slide's time on the glass.
 *
 * Used by the screen (screen.js) and the notice editor's preview frame:
 *   const pages = createPagination({ now });   // now(): the server's clock, in ms
 *   pages.prepare(sectionEl); pages.enter(sectionEl, showing);
 */

import { make } from "./lib/dom.js";

const MIN_COL_PX = 700;   // narrower than this, 30 px text breaks every few words
const MAX_COLS = 2;
const MIN_BESIDE_PX = 400; // text runs beside the QR card only if this much width is left
const MIN_LINES = 2;        // a cut paragraph leaves at least this many lines on each page
const SPARSE = 1 / 3;       // a last page filled less than this joins the one before, if it fits

export function createPagination({ now = Date.now } = {}) {
  const sources = new Map();     // section → pristine clone of its .notice-flow
  const laidOut = new WeakMap(); // section → the key (box size, font generation) it was laid out for
  let fontGeneration = 0;        // bumped whenever web fonts finish loading: text got new widths
  let current = null;            // {section, showing} of the slide on the glass
  let timer = null;

  // ---- splitting a unit between words (only for a unit taller than a column) -------------

  function textNodes(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function countWords(root) {
    return textNodes(root).reduce((n, t) => n + (t.data.match(/\S+/g) || []).length, 0);
  }

  // How many lines of text `el` takes where it stands now.
  function linesOf(el) {
    const tops = new Set();
    for (const node of textNodes(el)) {
      if (!node.data.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size;
  }

  // A clone of `unit` holding only words [from, to), structure (and classes) kept.
  function sliceWords(unit, from, to) {
    const clone = unit.cloneNode(true);
    let index = 0;
    for (const node of textNodes(clone)) {
      let out = "";
      for (const part of node.data.split(/(\s+)/)) {
        if (!part) continue;
        if (/^\s+$/.test(part)) {
          if (index > from && index < to) out += part;   // a space between kept words
          continue;
        }
        if (index >= from && index < to) out += part;
        index += 1;
      }
      node.data = out;
    }
    // Elements left without text go, except the number badge (it holds the grid column).
    for (const el of [...clone.querySelectorAll("*")].reverse()) {
      if (!el.textContent.trim() && !el.matches(".num, svg, svg *, img, br, hr, td, th")
          && !el.querySelector("svg, img, br, hr")) el.remove();
    }
    return clone;
  }

  // ---- the layout ----------------------------------------------------------------------

  // The pieces a block is made of. A Markdown list is one element but many units: each
  // item becomes a one-item list (numbering kept through `start`).
  function unitsOf(block, title) {
    const units = [];
    for (const child of [...block.children]) {
      if (child === title) continue;
      if ((child.tagName === "UL" || child.tagName === "OL") && child.children.length > 1) {
        let number = parseInt(child.getAttribute("start") || "1", 10);
        for (const item of [...child.children]) {
          const part = child.cloneNode(false);
          part.classList.add("list-part");
          if (child.tagName === "OL") part.setAttribute("start", String(number));
          number += 1;
          part.append(item);
          units.push(part);
        }
      } else {
        units.push(child);
      }
    }
    return units;
  }

  const isHeading = (el) => /^H[1-6]$/.test(el.tagName) && !el.classList.contains("block-title");

  // Children of a column that are content (not the room kept for the QR card).
  const contentCount = (col) => [...col.children].filter((c) => !c.classList.contains("qr-space")).length;

  // `reserve`: the QR card's box {width, height}, kept clear at the top of every page's
  // last column (a float, so the text beside and below it still uses the column).
  // `tightFrom`: pages from this index on are set tighter (.is-tight: type at the floor).
  function pour(pagesEl, flow, cols, reserve, tightFrom = Infinity) {
    let page = null;
    let col = null;
    let colIndex = 0;
    const newPage = () => {
      page = make("div", "page");
      if (pagesEl.children.length >= tightFrom) page.classList.add("is-tight");
      for (let i = 0; i < cols; i += 1) page.append(make("div", "col"));
      pagesEl.append(page);
      if (reserve) {
        const last = page.lastElementChild;
        const space = make("div", "qr-space");
        space.style.height = `${reserve.height}px`;
        last.append(space);
        // Text beside the card only where a line there still holds a few words.
        const beside = last.clientWidth - reserve.width - parseFloat(getComputedStyle(space).marginLeft);
        if (beside >= MIN_BESIDE_PX) space.style.width = `${reserve.width}px`;
        else space.classList.add("is-band");   // too narrow beside it: keep the whole band
      }
      colIndex = 0;
      col = page.firstElementChild;
    };
    const nextCol = () => {
      if (colIndex + 1 < cols) {
        colIndex += 1;
        col = page.children[colIndex];
      } else {
        newPage();
      }
    };
    // Layout units are stage pixels (the stage's scale transform does not enter here).
    const fits = () => col.scrollHeight <= col.clientHeight + 1 && col.scrollWidth <= col.clientWidth + 1;

    newPage();
    for (const block of [...flow.children]) {
      const title = block.querySelector(":scope > .block-title");
      const units = unitsOf(block, title);
      let shell = null;
      let placed = 0;
      const open = () => {
        shell = block.cloneNode(false);
        if (title) {
          const heading = title.cloneNode(true);
          if (placed) heading.classList.add("is-cont");   // "(tiếp theo)"
          shell.append(heading);
        }
        col.append(shell);
      };
      const bodyCount = () => [...shell.children].filter((c) => !c.classList.contains("block-title")).length;

      open();
      for (let unit of units) {
        shell.append(unit);
        if (fits()) { placed += 1; continue; }

        // Not enough room left here: the unit goes whole to the next column, with any
        // heading that introduces it; a block title is never left alone at a column's foot.
        // A column narrowed by the QR card is not yet the room a unit deserves before it
        // is cut: it goes on to the next, whole column (so at most two moves).
        for (let moves = 0; !fits() && moves < 2; moves += 1) {
          const alone = contentCount(col) === 1 && bodyCount() === 1;
          const narrowed = cols > 1 && col.querySelector(":scope > .qr-space");
          if (alone && !narrowed) break;
          unit.remove();
          const carried = [];
          while (shell.lastElementChild && isHeading(shell.lastElementChild) && bodyCount() > 1) {
            carried.unshift(shell.lastElementChild);
            shell.lastElementChild.remove();
          }
          if (bodyCount() === 0) shell.remove();
          nextCol();
          open();
          shell.append(...carried, unit);
        }
        if (fits()) { placed += 1; continue; }

        // Taller than a whole column: cut it between words and carry on in the next one.
        // Neither side of a cut is shorter than MIN_LINES lines: no page starts with one
        // orphaned word ("chết.") nor ends with a lone line of a paragraph.
        while (!fits()) {
          unit.remove();
          const total = countWords(unit);
          let lo = 1;
          let hi = total - 1;
          let best = 0;
          while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            const head = sliceWords(unit, 0, mid);
            shell.append(head);
            const ok = fits();
            head.remove();
            if (ok) { best = mid; lo = mid + 1; } else { hi = mid - 1; }
          }
          const fitted = best;
          // Give the tail enough words for MIN_LINES lines (measured where the head stands:
          // the next column is as wide).
          while (best > 0) {
            const tail = sliceWords(unit, best, total);
            shell.append(tail);
            const short = linesOf(tail) < MIN_LINES;
            tail.remove();
            if (!short) break;
            best -= 1;
          }
          if (best > 0) {
            const head = sliceWords(unit, 0, best);
            shell.append(head);
            const headShort = linesOf(head) < MIN_LINES;
            head.remove();
            if (headShort) best = 0;
          }
          const columnHasMore = contentCount(col) > 1 || bodyCount() > 0;
          if (best === 0 && columnHasMore) {
            // Too little room left here for two lines: the whole unit starts the next column.
            if (bodyCount() === 0) shell.remove();
            nextCol();
            open();
            shell.append(unit);
            continue;
          }
          if (best === 0) best = fitted;   // the column holds nothing else: cut as it fits
          if (best === 0) { shell.append(unit); break; }   // one unbreakable word: nothing to cut
          const head = sliceWords(unit, 0, best);
          head.classList.add("is-split");
          shell.append(head);
          placed += 1;
          unit = sliceWords(unit, best, total);
          unit.classList.add("is-cont");
          nextCol();
          open();
          shell.append(unit);
        }
        placed += 1;
      }
    }
    // A last page whose columns stayed empty is no page.
    for (const p of [...pagesEl.children]) {
      if (![...p.children].some((c) => contentCount(c))) p.remove();
    }
    return pagesEl.children.length;
  }

  // How full a page is: its columns' content over their room (0 … 1).
  function fill(page) {
    let used = 0;
    let room = 0;
    for (const col of page.children) {
      room += col.clientHeight;
      let bottom = 0;
      for (const child of col.children) {
        if (child.classList.contains("qr-space")) continue;
        bottom = Math.max(bottom, child.offsetTop - col.offsetTop + child.offsetHeight);
      }
      used += bottom;
    }
    return room ? used / room : 1;
  }

  function layout(section) {
    const source = sources.get(section);
    const article = section.querySelector("[data-paginate]");
    if (!source || !article || !section.isConnected) return;
    let pagesEl = article.querySelector(":scope .pages");
    if (!pagesEl) {
      const flow = article.querySelector(".notice-flow");
      if (!flow) return;
      pagesEl = make("div", "pages");
      flow.replaceWith(pagesEl);
    }
    const width = pagesEl.clientWidth;
    const height = pagesEl.clientHeight;
    if (!width || !height) return;   // not in the layout yet; the ResizeObserver calls again
    const key = `${width}x${height}@${fontGeneration}`;
    if (laidOut.get(section) === key) return;

    const gap = parseFloat(getComputedStyle(pagesEl).getPropertyValue("--page-gap")) || 52;
    const cols = Math.max(1, Math.min(MAX_COLS, Math.floor((width + gap) / (MIN_COL_PX + gap))));
    pagesEl.style.setProperty("--cols", String(cols));
    pagesEl.replaceChildren();
    const card = article.querySelector(".notice-qr");
    const reserve = card ? { width: card.offsetWidth, height: card.offsetHeight } : null;
    let count = pour(pagesEl, source.cloneNode(true), cols, reserve);
    // A last page filled less than a third (a lone "Căn cứ:" line for 10 s) joins the page
    // before it when both fit on one page with the type at the floor size (.is-tight).
    if (count > 1 && fill(pagesEl.lastElementChild) < SPARSE) {
      pagesEl.replaceChildren();
      const tight = pour(pagesEl, source.cloneNode(true), cols, reserve, count - 2);
      if (tight < count) {
        count = tight;
      } else {
        pagesEl.replaceChildren();
        count = pour(pagesEl, source.cloneNode(true), cols, reserve);
      }
    }
    laidOut.set(section, key);
    section.dataset.pages = String(count);
    section.dataset.layout = key;
    if (current && current.section === section) schedule();
    else showPage(section, 0);
  }

  function relayoutAll() {
    for (const section of [...sources.keys()]) {
      if (!section.isConnected) { sources.delete(section); continue; }
      layout(section);
    }
  }

  const resizes = "ResizeObserver" in window
    ? new ResizeObserver((entries) => entries.forEach((e) => layout(e.target)))
    : null;

  if (document.fonts) {
    document.fonts.addEventListener("loadingdone", () => { fontGeneration += 1; relayoutAll(); });
  }

  // ---- pages over time ----------------------------------------------------------------

  function showPage(section, index) {
    const pages = section.querySelectorAll(".pages > .page");
    const count = pages.length;
    const i = Math.max(0, Math.min(count - 1, index));
    pages.forEach((p, k) => p.classList.toggle("is-page-current", k === i));
    const marker = section.querySelector(".page-marker");
    if (marker) {
      marker.hidden = count < 2;
      marker.textContent = `Trang ${i + 1}/${count}`;
    }
    section.dataset.page = String(i + 1);
  }

  // Page i of n is on the glass during [started + i·d/n, started + (i+1)·d/n): every screen
  // of a zone shows the same page at the same moment, from the same `showing`.
  function schedule() {
    clearTimeout(timer);
    if (!current || !current.section.isConnected) return;
    const { section, showing } = current;
    const count = section.querySelectorAll(".pages > .page").length;
    const started = Date.parse(showing.started);
    const until = Date.parse(showing.until);
    if (count < 2 || !(until > started)) { showPage(section, 0); return; }
    const each = (until - started) / count;
    const t = now();
    const index = Math.max(0, Math.min(count - 1, Math.floor((t - started) / each)));
    showPage(section, index);
    if (index < count - 1) timer = setTimeout(schedule, Math.max(50, started + (index + 1) * each - t + 20));
  }

  return {
    prepare(section) {
      // Slides replaced by a new playlist are gone from the page: forget them.
      for (const old of [...sources.keys()]) {
        if (!old.isConnected) {
          sources.delete(old);
          if (resizes) resizes.unobserve(old);
        }
      }
      // A slide laid out to fit one page (the results chart) is one page as it is.
      if (!section.querySelector("[data-paginate]")) {
        section.dataset.pages = "1";
        return;
      }
      const flow = section.querySelector("[data-paginate] .notice-flow");
      if (!flow) return;
      sources.set(section, flow.cloneNode(true));
      laidOut.delete(section);
      layout(section);
      if (resizes) resizes.observe(section);
    },
    enter(section, showing) {
      current = { section, showing };
      schedule();
    },
    // For people and tests: hold one page on the glass (until the next `enter`).
    showPage(section, index) {
      clearTimeout(timer);
      current = null;
      showPage(section, index);
    },
    // True once every slide is laid out for its current box with the fonts it will use.
    settled() {
      if (document.fonts && document.fonts.status !== "loaded") return false;
      return [...sources.keys()].filter((s) => s.isConnected).every((s) => {
        const pagesEl = s.querySelector(".pages");
        return pagesEl && laidOut.get(s) === `${pagesEl.clientWidth}x${pagesEl.clientHeight}@${fontGeneration}`;
      });
    },
  };
}
