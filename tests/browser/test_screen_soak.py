"""Years of uptime: a screen page driven through thousands of slide changes, alerts, edits,
calls and reconnects keeps its DOM nodes, event listeners and JS heap within a small
bound (Chromium's own counters, after a forced garbage collection).

The events go through the page's real protocol code: each is handed to its live socket's
`onmessage` (lib/live.js: seq checks, then screen.js and its features), on a fake zone
whose seq is far above the real one, so the real server's own events are ignored as
old; every few hundred events the real socket is closed and the page reconnects to the
real server (a real snapshot), then the fake zone starts again. Bounded to stay about a
minute; docs/protocol.md extrapolates it to a day."""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROUNDS = 4
EVENTS_PER_ROUND = 750   # 3,000 events: ~2,200 slide changes, 300 alert updates, calls, edits

DRIVE = """
async ([round, count]) => {
  const screen = window.signageScreen;
  const deliver = (m) => screen.socket.onmessage({ data: JSON.stringify(m) });
  const base = 1e9 + round * 1e5;
  const at = () => new Date(screen.now()).toISOString();
  const far = new Date(screen.now() + 3600e3).toISOString();
  const slide = (id, i) => ({ id, notice_id: id, kind: "law", title: `Soak ${id}`, duration: 5,
    schedule: null, html: `<article class="notice law"><h1 class="notice-title">Thông điệp ${id} · ${i}</h1>`
      + `<div class="notice-body"><p>Nội dung ${i}</p></div></article>` });
  const snapshot = { ...screen.lastSnapshot, type: "snapshot", seq: base, at: at(),
    playlist: { slides: [slide(9001, 0), slide(9002, 0), slide(9003, 0)] },
    showing: { index: 0, slide_id: 9001, started: at(), until: far, active: [9001, 9002, 9003] },
    alerts: [] };
  deliver(snapshot);
  let seq = base;
  for (let i = 1; i <= count; i += 1) {
    seq += 1;
    let m;
    if (i % 10 === 0) {
      m = { type: "alerts.updated", alerts: i % 20 === 0 ? [] : [{ id: i, text: `Cảnh báo ${i}`,
            level: "canh-bao", chime: false, voice: false, created_at: at(), expires_at: far }] };
    } else if (i % 50 === 0) {
      m = { type: "notice.updated", notice_id: 9002, slides: [slide(9002, i)], ticker: [] };
    } else if (i % 125 === 0) {
      m = { type: "queue.call", ticket: `A-${1000 + i}`, counter: 1, tokens: [], text: "",
            overlay_seconds: 1, at: at() };
    } else {
      const id = 9001 + (i % 3);
      m = { type: "slide", showing: { index: i % 3, slide_id: id, started: at(), until: far,
                                      active: [9001, 9002, 9003] } };
    }
    deliver({ ...m, seq, epoch: snapshot.epoch, at: at() });
    if (i % 25 === 0) await new Promise((r) => requestAnimationFrame(r));
  }
  return seq;
}
"""


def counters(cdp) -> dict[str, float]:
    cdp.send("HeapProfiler.collectGarbage")
    dom = cdp.send("Memory.getDOMCounters")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {"nodes": dom["nodes"], "listeners": dom["jsEventListeners"],
            "heap_mb": metrics["JSHeapUsedSize"] / 2**20}


def test_a_screen_page_does_not_grow_over_thousands_of_events_and_reconnects(live_server,
                                                                             browser):
    [key] = live_server.add_screens("TV chạy bền")
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{live_server.base}/screen/{key}")
    page.wait_for_function("window.signageScreen && window.signageScreen.connected")
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    # The page keeps its last snapshot in localStorage: start each fake zone from it.
    keep = ("window.signageScreen.lastSnapshot = JSON.parse(localStorage.getItem("
            "'signage:snapshot:' + document.querySelector('#stage').dataset.key))")

    figures = []
    t0 = time.monotonic()
    snapshots = 0   # the page's count of snapshots from the server (and the fake ones)
    for round_ in range(ROUNDS):
        # connected is not enough: the real snapshot (kept in localStorage) must be in
        page.wait_for_function(f"window.signageScreen.connected"
                               f" && window.signageScreen.snapshots > {snapshots}", timeout=30_000)
        page.evaluate(keep)
        page.evaluate(DRIVE, [round_, EVENTS_PER_ROUND])
        page.wait_for_timeout(1500)  # the last call's overlay and the alerts settle
        figures.append(counters(cdp))
        snapshots = page.evaluate("window.signageScreen.snapshots")
        page.evaluate("window.signageScreen.socket.close()")  # reconnect to the real server
    elapsed = time.monotonic() - t0

    first, last = figures[0], figures[-1]
    events = ROUNDS * EVENTS_PER_ROUND
    print(f"soak: {events} events and {ROUNDS} reconnects in {elapsed:.0f} s; "
          + "; ".join(f"{k} {first[k]:.1f} -> {last[k]:.1f}" for k in first))
    # No growth beyond a small bound between the first round and the last
    assert last["nodes"] <= first["nodes"] * 1.10 + 200, figures
    assert last["listeners"] <= first["listeners"] + 20, figures
    assert last["heap_mb"] <= first["heap_mb"] * 1.25 + 2, figures
    context.close()
