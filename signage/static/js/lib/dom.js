/* DOM helpers every page uses: short names for what each page did by hand. */

export const byId = (id) => document.getElementById(id);

/** A new element with a class and text (text is always text, never HTML). */
export function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/**
 * A message in `el`: `bad` colours it as a problem (class is-bad), `hide` hides the
 * element while there is nothing to say (for boxes that are not kept in the layout).
 */
export function say(el, text, { bad = false, hide = false } = {}) {
  el.textContent = text || "";
  el.classList.toggle("is-bad", Boolean(bad && text));
  if (hide) el.hidden = !text;
}

/** The page's data from <script type="application/json" id="…"> (null when absent). */
export function readJson(id) {
  const el = byId(id);
  return el ? JSON.parse(el.textContent) : null;
}

/** "{n} mục" with {n: 3} → "3 mục"; unknown placeholders stay as they are. */
export function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

/**
 * A ticket number in `el`, sized to stand on one line (kiosk.css: the font follows the
 * box's width divided by the number of characters, `--chars`).
 */
export function showNumber(el, display) {
  el.textContent = display;
  el.style.setProperty("--chars", String(Math.max(4, String(display).length)));
}
