"""The TV page in a real browser: what rotating costs the TV, and what its first load weighs.

    python bench/tvpage.py [--seconds 60] [--orientation landscape] [--no-scroll] [--json PATH]

A real `signage serve` with the shipped content (fresh data dir, one screen of the
`sanh-chinh` zone: its playlist, the ticker of law messages and the queue panel) and
Debian's Chromium through Playwright, headless, with the flags of the browser tests.
Each page is opened in a browser of its own, so its renderer process is its own, and:

- **first load**: every HTTP request the page made (count and bytes on the wire, from
  Chromium's Network domain) before the first WebSocket frame (the snapshot) arrived,
  those made after it while the page settled (fonts and images the slides ask for),
  and the snapshot's own size;
- **rotating**: after the page settled, for `--seconds`, the deltas of Chromium's
  performance metrics (CDP `Performance.getMetrics`: LayoutCount, RecalcStyleCount,
  LayoutDuration, RecalcStyleDuration, ScriptDuration, TaskDuration) and the CPU time of
  the browser's renderer and GPU processes read from /proc, all per minute.

Pages measured: `page`, the screen as shipped (the ticker's default page mode: one line
at a time, faded to the next; the progress bar set in steps); `scroll`, the same with
`SIGNAGE_TICKER=scroll` (the running strip; the server is restarted for it; `--no-scroll`
skips it). Reference in the same run: the same page, same content, same server, with
every CSS transition and animation off, every Web Animation cancelled as it starts (the
ticker stands still on its first page; the bar still steps) — the static page of the
same content, changing slides by the same clock.

Talks only to 127.0.0.1; stops its server and browsers by itself; exits 1 when the
server logged a traceback.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Server, table, write_json  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SETTLE_S = 8          # after the snapshot: fonts, pagination, the first slide's fade
METRICS = ["LayoutCount", "RecalcStyleCount", "LayoutDuration", "RecalcStyleDuration",
           "ScriptDuration", "TaskDuration"]

# The reference: nothing moves but what the clock changes (slides, pages, the clock).
STATIC_PAGE = """
(() => {
  const animate = Element.prototype.animate;
  Element.prototype.animate = function (...args) {
    const a = animate.apply(this, args);
    a.cancel();
    return a;
  };
  const css = "*, *::before, *::after { transition: none !important; animation: none !important; }";
  document.addEventListener("DOMContentLoaded", () => {
    const style = document.createElement("style");
    style.textContent = css;
    document.head.append(style);
  });
})();
"""


# ---- the browser's processes ------------------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            out += [int(p) for p in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            continue
    return out


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return []
    # Chromium rewrites its children's titles: one string, switches separated by spaces.
    return raw.replace("\0", " ").split()


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class BrowserProcesses:
    """The processes of one Chromium, found by a marker switch on its command line."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def root(self) -> int:
        found = [int(n) for n in os.listdir("/proc") if n.isdigit() and self.marker in _cmdline(int(n))]
        if not found:
            raise RuntimeError("the browser's process was not found")
        return min(found)   # the first: its launcher or the browser, the rest descend from it

    def by_type(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        todo = [self.root()]
        while todo:
            pid = todo.pop()
            todo += _children(pid)
            kind = "browser"
            for arg in _cmdline(pid):
                if arg.startswith("--type="):
                    kind = arg.split("=", 1)[1]
            found.setdefault(kind, []).append(pid)
        return found

    def cpu(self) -> dict[str, float]:
        return {kind: sum(_cpu_s(p) for p in pids) for kind, pids in self.by_type().items()}


# ---- one page -----------------------------------------------------------------------------

def measure_page(pw, url: str, seconds: float, init: str | None, shot: str | None,
                 **options: Any) -> dict[str, Any]:
    marker = f"--bench-tvpage={uuid.uuid4().hex}"
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                 args=[*CHROMIUM_ARGS, marker])
    try:
        # Service workers blocked: what the page itself asks for is counted (the worker's
        # copy of the same files comes from the HTTP cache); nothing else differs.
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, bypass_csp=True,
                                      service_workers="block", **options)
        if init:
            context.add_init_script(init)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        t0 = time.monotonic()
        requests: dict[str, dict[str, Any]] = {}
        snapshot: dict[str, Any] = {}

        def sent(e: dict[str, Any]) -> None:
            requests.setdefault(e["requestId"], {"url": e["request"]["url"],
                                                 "at": time.monotonic() - t0, "bytes": 0,
                                                 "before": not snapshot})

        def finished(e: dict[str, Any]) -> None:
            if e["requestId"] in requests:
                requests[e["requestId"]]["bytes"] = e["encodedDataLength"]

        def frame(e: dict[str, Any]) -> None:
            if not snapshot:   # a binary frame (the snapshot compressed) comes as base64
                data = e["response"]["payloadData"]
                size = (len(base64.b64decode(data)) if e["response"].get("opcode") == 2
                        else len(data.encode()))
                snapshot.update(bytes=size, at=time.monotonic() - t0)

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.webSocketFrameReceived", frame)
        page.goto(url)
        page.wait_for_function("() => window.signageScreen && window.signageScreen.received > 0",
                               timeout=60000)
        page.wait_for_function("() => window.signageScreen.layout.settled()", timeout=60000)
        time.sleep(SETTLE_S)
        if shot:
            page.screenshot(path=shot)

        procs = BrowserProcesses(marker)
        m0 = _metrics(cdp)
        c0, w0 = procs.cpu(), time.monotonic()
        where = """() => [document.getElementById('stage').dataset.currentSlide,
                          window.signageScreen.ticker.page]"""
        (last, last_page) = page.evaluate(where)
        changes, ticker_pages = 0, 0
        while time.monotonic() - w0 < seconds:
            time.sleep(min(1.0, max(0.05, seconds - (time.monotonic() - w0))))
            now, now_page = page.evaluate(where)
            if now != last:
                changes, last = changes + 1, now
            if now_page != last_page:
                ticker_pages, last_page = ticker_pages + 1, now_page
        m1 = _metrics(cdp)
        c1, took = procs.cpu(), time.monotonic() - w0
        animated = page.evaluate("""() => document.getAnimations().map((a) => {
            const fx = a.effect;
            const props = fx && fx.getKeyframes ? [...new Set(fx.getKeyframes().flatMap(
                (k) => Object.keys(k).filter((p) => !["offset", "computedOffset", "easing",
                                                       "composite"].includes(p))))] : [];
            return { kind: a.constructor.name, props,
                     infinite: Boolean(fx && fx.getComputedTiming().iterations === Infinity),
                     target: fx && fx.target ?
                     (fx.target.id || fx.target.className || fx.target.tagName) : null };
        })""")
        ticker = page.evaluate("() => window.signageScreen.ticker.texts.length")
        ticker_mode = page.evaluate("() => window.signageScreen.ticker.mode")
        queue = page.evaluate("() => !document.getElementById('queue-panel').hidden")
    finally:
        browser.close()

    per_min = 60.0 / took
    before = [r for r in requests.values() if r["before"]]
    after = [r for r in requests.values() if not r["before"]]
    return {
        "static": init is not None, "seconds": took, "slide_changes": changes, "ticker_texts": ticker,
        "ticker_mode": ticker_mode, "ticker_page_changes": ticker_pages,
        "queue_panel": queue, "animations": animated,
        "metrics_per_min": {k: (m1[k] - m0[k]) * per_min for k in METRICS},
        "cpu_s_per_min": {k: (c1.get(k, 0) - c0.get(k, 0)) * per_min for k in c1},
        "first_load": {
            "requests_before_snapshot": len(before),
            "bytes_before_snapshot": sum(r["bytes"] for r in before),
            "requests_after_snapshot": len(after),
            "bytes_after_snapshot": sum(r["bytes"] for r in after),
            "snapshot_bytes": snapshot.get("bytes", 0),
            "requests": sorted(({"url": r["url"].split("/", 3)[-1], "bytes": r["bytes"],
                                 "before_snapshot": r["before"]} for r in requests.values()),
                               key=lambda r: r["url"]),
        },
    }


def _metrics(cdp) -> dict[str, float]:
    got = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {k: got.get(k, 0.0) for k in METRICS}


# ---- main ---------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--orientation", choices=["landscape", "portrait"], default="landscape")
    ap.add_argument("--screenshot", help="PNG of the page (after it settled) to this path")
    ap.add_argument("--no-scroll", action="store_true", help="skip the SIGNAGE_TICKER=scroll page")
    ap.add_argument("--json")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    server = Server()
    bad: list[str] = []
    try:
        server.prepare()
        key = server.cli("screens", "add", "bench-tv", "--zone", "sanh-chinh",
                         "--orientation", args.orientation).split()[-1]
        server.start()
        runs = {}
        plan = [("page", False), ("reference", True)] + ([] if args.no_scroll else [("scroll", False)])
        with sync_playwright() as pw:
            for name, static in plan:
                if name == "scroll":   # the same data, served with the running strip
                    server.stop()
                    bad += server.tracebacks()
                    server.env_extra["SIGNAGE_TICKER"] = "scroll"
                    server.ports, server.logs = [], []
                    server.start()
                print(f"{name}: {args.seconds:.0f} s …", flush=True)
                runs[name] = measure_page(pw, f"{server.base}/screen/{key}", args.seconds,
                                          STATIC_PAGE if static else None,
                                          args.screenshot if name == "page" else None)
        server.stop()
        bad += server.tracebacks()
    finally:
        server.cleanup()

    rows = []
    for name, r in runs.items():
        m, c = r["metrics_per_min"], r["cpu_s_per_min"]
        rows.append([name, f"{c.get('renderer', 0):.2f}", f"{c.get('gpu-process', 0):.2f}",
                     f"{c.get('browser', 0):.2f}", f"{m['LayoutCount'] / 60:.1f}",
                     f"{m['RecalcStyleCount'] / 60:.1f}", f"{m['LayoutDuration']:.2f}",
                     f"{m['RecalcStyleDuration']:.2f}", f"{m['ScriptDuration']:.2f}",
                     f"{m['TaskDuration']:.2f}", r["slide_changes"], r["ticker_page_changes"]])
    print()
    print(table(f"rotating, per minute ({args.seconds:.0f} s measured, {args.orientation}); "
                "reference: the same page with animations off",
                ["page", "renderer CPU s", "GPU CPU s", "browser CPU s", "layouts/s",
                 "style recalcs/s", "layout s", "style s", "script s", "task s", "slides",
                 "ticker pages"],
                rows))
    rows = []
    for name, r in runs.items():
        f = r["first_load"]
        rows.append([name, f["requests_before_snapshot"], f"{f['bytes_before_snapshot'] / 1000:.0f}",
                     f["requests_after_snapshot"], f"{f['bytes_after_snapshot'] / 1000:.0f}",
                     f"{(f['bytes_before_snapshot'] + f['bytes_after_snapshot']) / 1000:.0f}",
                     f"{f['snapshot_bytes'] / 1000:.0f}"])
    print()
    print(table("first load (HTTP bytes on the wire, headers included; kB = 1,000 bytes)",
                ["page", "requests before snapshot", "kB", "requests after", "kB",
                 "HTTP kB in all", "snapshot kB"], rows))
    page = runs["page"]
    for name, r in runs.items():
        if not r["static"]:
            print(f"\n{name}: ticker mode {r['ticker_mode']}, {r['ticker_texts']} texts; "
                  "animations at the end:",
                  sorted({(a["kind"], ",".join(a["props"]), "infinite" if a["infinite"] else "ends")
                          for a in r["animations"]}) or "none")
    print(f"queue panel shown: {page['queue_panel']}")
    write_json("tvpage", {"args": vars(args), "settle_s": SETTLE_S, "runs": runs,
                          "log_errors": bad[:5]}, args.json)
    if bad:
        print("FAIL: tracebacks in the server log:", *bad[:5], sep="\n  ", file=sys.stderr)
        raise SystemExit(1)
    print("server log: no traceback")


if __name__ == "__main__":
    main()
