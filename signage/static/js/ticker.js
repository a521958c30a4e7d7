/* The ticker: law-outreach short texts running along the bottom of the screen.
 *
 * Texts come in the snapshot (`ticker`: the zone's approved law messages that have a
 * ticker text, in playlist order) and again with `notice.updated` / `playlist.changed`.
 * The strip moves at a constant speed in stage pixels per second, however long the
 * texts are: one lap of the texts is repeated until it is wider than the window, two
 * laps sit side by side, and the track slides by exactly one lap, forever (a CSS
 * transform animated by the compositor: smooth even on a weak TV box).
 *
 * screen.js hands it the snapshot and the events: createTicker(el).snapshot(msg) / .event(msg).
 */

const SPEED_PX_PER_S = 120;   // about 4 Vietnamese syllables a second at 34 px
const LABEL = "Tuyên truyền";

export function createTicker(tickerEl) {
  let texts = [];
  let animation = null;

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

  function build() {
    if (animation) { animation.cancel(); animation = null; }
    if (!texts.length) {
      tickerEl.hidden = true;
      tickerEl.replaceChildren();
      return;
    }
    tickerEl.hidden = false;
    const label = document.createElement("div");
    label.className = "ticker-label";
    label.textContent = LABEL;
    const windowEl = document.createElement("div");
    windowEl.className = "ticker-window";
    const track = document.createElement("div");
    track.className = "ticker-track";
    windowEl.append(track);
    tickerEl.replaceChildren(label, windowEl);

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

  function update(list) {
    if (!Array.isArray(list)) return;
    const next = list.map((t) => String(t).trim()).filter(Boolean);
    if (next.length === texts.length && next.every((t, i) => t === texts[i]) && (animation || !next.length)) return;
    texts = next;
    build();
  }

  // Widths change when the web font arrives: measure the lap again.
  if (document.fonts) document.fonts.addEventListener("loadingdone", () => { if (texts.length) build(); });

  return {
    snapshot(msg) { update(msg.ticker); },
    event(msg) {
      if (msg.type === "notice.updated" || msg.type === "playlist.changed") update(msg.ticker);
    },
    get texts() { return texts.slice(); },
    speed: SPEED_PX_PER_S,
  };
}
