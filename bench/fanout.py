"""Fan-out benchmark: 1,000 screens, an API edit, time until every screen has it.

Baseline in the same run, to the same client process: a raw asyncio WebSocket
broadcaster (the `websockets` library's `broadcast`, one event loop, no framework)
sending a message of the same size to the same number of clients. That is the floor
a Python server on this machine can reach; the figure we care about is the ratio.

    python bench/fanout.py [--screens 1000] [--rounds 30]

Talks only to 127.0.0.1; every loop is bounded and the script stops by itself.
Prints figures; asserts nothing (performance is measured here, never in tests).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
SIGNAGE = str(Path(sys.executable).with_name("signage"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


# ---- the floor: a raw asyncio broadcaster ----------------------------------------

def floor_server(port: int, ready: multiprocessing.Event) -> None:
    async def main() -> None:
        clients: set = set()

        async def handler(ws):
            if ws.request.path == "/control":
                async for size in ws:  # "broadcast a message of N bytes now"
                    payload = json.dumps({"type": "notice.updated", "seq": 1,
                                          "pad": "x" * max(0, int(size) - 50)})
                    websockets.broadcast(clients, payload)
                return
            clients.add(ws)
            try:
                await ws.wait_closed()
            finally:
                clients.discard(ws)

        async with websockets.serve(handler, "127.0.0.1", port, compression=None,
                                    max_queue=None, ping_interval=None):
            ready.set()
            await asyncio.Future()

    asyncio.run(main())


# ---- the clients -------------------------------------------------------------------

class Screens:
    """N WebSocket clients in one event loop, recording when each gets a matching event."""

    def __init__(self, url: str, n: int, match: str) -> None:
        self.url, self.n, self.match = url, n, match
        self.conns: list = []
        self.arrivals: list[float] = []
        self.waiter: asyncio.Future | None = None
        self.size = 0

    async def open(self) -> None:
        sem = asyncio.Semaphore(100)

        async def one():
            async with sem:
                for attempt in range(20):
                    try:
                        ws = await websockets.connect(self.url, compression=None,
                                                      max_size=2**24, ping_interval=None,
                                                      open_timeout=30)
                        self.conns.append(ws)
                        return
                    except (OSError, websockets.exceptions.WebSocketException):
                        await asyncio.sleep(0.2 * (attempt + 1))
                raise RuntimeError("could not connect")

        await asyncio.gather(*(one() for _ in range(self.n)))
        for ws in self.conns:
            asyncio.create_task(self._read(ws))

    async def _read(self, ws) -> None:
        try:
            async for raw in ws:
                if self.match in raw[:80]:
                    self.arrivals.append(time.perf_counter())
                    self.size = len(raw.encode())
                    if len(self.arrivals) == self.n and self.waiter and not self.waiter.done():
                        self.waiter.set_result(None)
        except websockets.exceptions.ConnectionClosed:
            pass

    async def round(self, trigger) -> tuple[float, list[float]]:
        self.arrivals = []
        self.waiter = asyncio.get_running_loop().create_future()
        t0 = time.perf_counter()
        await trigger()
        await asyncio.wait_for(self.waiter, timeout=30)
        return max(self.arrivals) - t0, [a - t0 for a in self.arrivals]

    async def close(self) -> None:
        await asyncio.gather(*(ws.close() for ws in self.conns), return_exceptions=True)


def http(method: str, url: str, token: str, body: dict | None = None) -> dict:
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--screens", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--serve", nargs="*", default=[], help="extra `signage serve` arguments")
    ap.add_argument("--json")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="signage-bench-"))
    env = {**os.environ, "SIGNAGE_DATA_DIR": str(tmp)}
    run = lambda *a, **kw: subprocess.run([SIGNAGE, *a], env=env, check=True,  # noqa: E731
                                          capture_output=True, text=True, **kw)
    run("db", "upgrade")
    run("content", "import", str(ROOT / "content"))
    key = run("screens", "add", "bench").stdout.split()[-1]
    run("users", "add", "bench", "--role", "approver", "--password-stdin", input="bench-mat-khau-rat-dai\n")
    token = run("tokens", "add", "bench").stdout.split()[-1]

    port, floor_port = free_port(), free_port()
    log = tmp / "server.log"
    server = subprocess.Popen([SIGNAGE, "serve", "--port", str(port), "--threads", str(args.screens + 300),
                               *args.serve], env=env, stdout=open(log, "wb"),
                              stderr=subprocess.STDOUT)
    ready = multiprocessing.Event()
    floor = multiprocessing.Process(target=floor_server, args=(floor_port, ready), daemon=True)
    floor.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    ready.wait(10)

    # A procedure: the common slide, and the costly one (revision, audit, QR, rendering);
    # the time runs from the moment the PUT is sent, as a user sees it.
    notice = next(n for n in http("GET", base + "/api/v1/notices?kind=procedure", token)["items"]
                  if n.get("status") == "approved")
    title = notice["title"]

    async def bench() -> None:
        signage = Screens(f"ws://127.0.0.1:{port}/ws/screen/{key}", args.screens, '"notice.updated"')
        raw = Screens(f"ws://127.0.0.1:{floor_port}/", args.screens, '"notice.updated"')
        t = time.perf_counter()
        await signage.open()
        print(f"{args.screens} signage screens connected in {time.perf_counter() - t:.1f} s")
        await raw.open()
        control = await websockets.connect(f"ws://127.0.0.1:{floor_port}/control", compression=None)
        await asyncio.sleep(1.0)

        loop = asyncio.get_running_loop()
        size = 0
        s_all, f_all, s_each, f_each = [], [], [], []
        for i in range(args.rounds + 2):  # two warm-up rounds, not counted
            notice["title"] = f"{title} (lần {i})"
            notice.pop("version", None)

            async def edit():
                await loop.run_in_executor(None, http, "PUT",
                                           f"{base}/api/v1/notices/{notice['id']}", token, notice)

            s_total, s_lat = await signage.round(edit)
            size = signage.size  # the floor sends a message of the very same size

            async def blast(size: int = size) -> None:
                await control.send(str(size))
            f_total, f_lat = await raw.round(blast)
            if i >= 2:
                s_all.append(s_total)
                f_all.append(f_total)
                s_each += s_lat
                f_each += f_lat
            await asyncio.sleep(0.3)
        await signage.close()
        await raw.close()
        await control.close()

        ms = lambda v: f"{v * 1000:7.1f} ms"  # noqa: E731
        print(f"\nrounds: {args.rounds}, screens: {args.screens}, message: {size} bytes")
        print("time until EVERY screen has the event (per round):")
        print(f"  signage (API PUT → all screens)   p50 {ms(statistics.median(s_all))}  "
              f"p99 {ms(pct(s_all, 99))}  max {ms(max(s_all))}")
        print(f"  floor (raw asyncio broadcast)     p50 {ms(statistics.median(f_all))}  "
              f"p99 {ms(pct(f_all, 99))}  max {ms(max(f_all))}")
        p50_ratio = statistics.median(s_all) / statistics.median(f_all)
        print(f"  ratio signage/floor               p50 {p50_ratio:.2f}×"
              f"   p99 {pct(s_all, 99) / pct(f_all, 99):.2f}×")
        print("per-screen delivery latency (all screens, all rounds):")
        print(f"  signage p50 {ms(pct(s_each, 50))}  p99 {ms(pct(s_each, 99))}")
        print(f"  floor   p50 {ms(pct(f_each, 50))}  p99 {ms(pct(f_each, 99))}")
        print(f"  ratio   p99 {pct(s_each, 99) / pct(f_each, 99):.2f}×")
        from bench.harness import write_json

        write_json("fanout", {
            "screens": args.screens, "rounds": args.rounds, "message_bytes": size,
            "kind": notice["kind"],
            "signage_all_ms": [v * 1000 for v in s_all], "floor_all_ms": [v * 1000 for v in f_all],
            "signage_each_p50_ms": pct(s_each, 50) * 1000, "signage_each_p99_ms": pct(s_each, 99) * 1000,
            "floor_each_p50_ms": pct(f_each, 50) * 1000, "floor_each_p99_ms": pct(f_each, 99) * 1000,
        }, args.json)

    try:
        asyncio.run(bench())
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        floor.terminate()
        errors = [line for line in log.read_text(errors="replace").splitlines()
                  if line.startswith("Traceback")]
        shutil.rmtree(tmp, ignore_errors=True)
    if errors:
        print(f"FAIL: {len(errors)} tracebacks in the server log", file=sys.stderr)
        raise SystemExit(1)
    print("server log: no traceback")


if __name__ == "__main__":
    main()
