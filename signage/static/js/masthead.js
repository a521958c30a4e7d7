/* The lobby screen's header (templates/_masthead.html): the clock and the date in the
 * office's time zone. Shared by the screen and the notice editor's preview frame, so the
 * preview is the glass. */

/**
 * Keep #clock and #date of `stage` current. `time` is officeTime(zone); `now` gives the
 * moment to show (the screen passes the server's clock).
 */
export function runMastheadClock(stage, time, { now = Date.now, everyMs = 1000 } = {}) {
  const clockEl = stage.querySelector("#clock");
  const dateEl = stage.querySelector("#date");
  function tick() {
    const t = now();
    clockEl.textContent = time.clock(t);
    // A portrait masthead is narrow: the short form keeps the office name on its lines.
    dateEl.textContent = time.date(t, { short: stage.classList.contains("portrait") });
  }
  // On the whole second (minute…) of `now`: the clock turns when the time does, and in the
  // same frame as the screen's progress bar, which steps on whole seconds too (screen.js).
  function loop() {
    tick();
    setTimeout(loop, everyMs - (now() % everyMs) + ON_THE_SECOND_MS);
  }
  loop();
}

// A timer set for a whole second wakes this late at least: the second has turned.
export const ON_THE_SECOND_MS = 2;
