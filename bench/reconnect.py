"""Reconnect storm: N screens connected, the server restarted, every screen back.

    python bench/reconnect.py [--screens 1000] [--json PATH]

N WebSocket clients (one asyncio process) behave like the screen page (static/js/lib/
live.js): they ask for the snapshot deflated (`?snapshot=deflate-raw`; `--plain`: JSON
text), and on a close they reconnect after 250 ms doubling up to 4 s, with jitter. The
server gets SIGTERM (it closes every socket with 1001 and exits), a new `signage serve`
starts on the same port and data dir, and we time until every client has its new
snapshot: from the SIGTERM, and from the moment the new server answers /healthz.
Reference in the same run, to the same clients: a raw asyncio server (the `websockets`
library) that sends each new connection a message of the snapshot's size, restarted the
same way. Also: the server's CPU per reconnect, and no traceback in its log.

Talks only to 127.0.0.1; stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import signal
import statistics
import sys
import time
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Server, free_port, pct, table, wait_healthy, write_json  # noqa: E402

BACKOFF_BASE_S, BACKOFF_CAP_S = 0.25, 4.0  # as static/js/lib/live.js


def raw_server(port: int, size: int) -> None:
    """The reference: a bare asyncio server sending a snapshot-sized message on connect."""
    payload = '{"type":"snapshot","pad":"' + "x" * max(0, size - 30) + '"}'

    async def handler(ws):
        await ws.send(payload)
        await ws.wait_closed()

    async def main() -> None:
        stop = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
        async with websockets.serve(handler, "127.0.0.1", port, compression=None,
                                    max_queue=None, ping_interval=None) as server:
            await stop
            server.close(close_connections=True)

    asyncio.run(main())


class Fleet:
    """N clients that reconnect like the screen page and note each snapshot's arrival."""

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        self.arrivals: list[list[float]] = [[] for _ in urls]
        self.size = 0
        self.running = True
        self.tasks: list[asyncio.Task] = []

    async def _one(self, i: int) -> None:
        attempts = 0
        while self.running:
            try:
                async with websockets.connect(self.urls[i], compression=None, max_size=2**24,
                                              ping_interval=None, open_timeout=20,
                                              close_timeout=1) as ws:
                    attempts = 0
                    # The first message of a connection is its snapshot (docs/protocol.md),
                    # JSON text or, asked for like the page does, a deflated binary frame.
                    message = await ws.recv(decode=False)  # bytes: no decoding here
                    self.arrivals[i].append(time.monotonic())
                    self.size = len(message)
                    while True:
                        await ws.recv(decode=False)
            except (TimeoutError, OSError, websockets.exceptions.WebSocketException,
                    asyncio.CancelledError):
                pass
            if not self.running:
                return
            delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** attempts)
            attempts += 1
            await asyncio.sleep(delay * (0.5 + random.random() / 2))

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self._one(i)) for i in range(len(self.urls))]

    def count(self, after: float) -> int:
        return sum(1 for a in self.arrivals if a and a[-1] >= after)

    async def wait_all(self, after: float, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count(after) == len(self.urls):
                return True
            await asyncio.sleep(0.02)
        return False

    async def stop(self) -> None:
        self.running = False
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def storm(fleet: Fleet, kill, restart, is_up, timeout: float, on_up=None) -> dict:
    """Kill the server, start it again, time every client's return."""
    t_kill = time.monotonic()
    await asyncio.get_running_loop().run_in_executor(None, kill)
    t_down = time.monotonic()
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, restart)

    async def until_up() -> float:
        while not await loop.run_in_executor(None, is_up):
            await asyncio.sleep(0.02)
        return time.monotonic()

    up = asyncio.create_task(until_up())
    # The server's CPU is counted from its first new snapshot (its start-up is not a
    # reconnect's cost), whenever /healthz answers.
    deadline = time.monotonic() + timeout
    while fleet.count(t_down) == 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    up_mark = on_up() if on_up else None
    t_up = await up
    ok = await fleet.wait_all(t_down, timeout)
    back = sorted(a[-1] - t_up for a in fleet.arrivals if a and a[-1] >= t_down)
    return {"all_back": ok, "back": len(back), "stop_s": t_down - t_kill,
            "from_sigterm_s": (t_up + back[-1] - t_kill) if back else None,
            "from_up_s": back[-1] if back else None,
            "p50_from_up_s": statistics.median(back) if back else None,
            "p99_from_up_s": pct(back, 99) if back else None,
            # From the first new snapshot to the last: "up" above is when /healthz first
            # answers, which a loaded server may do after the screens are back.
            "first_to_all_s": back[-1] - back[0] if back else None, "up_mark": up_mark}


def _up(base: str) -> bool:
    try:
        wait_healthy(base, 0.05)
        return True
    except RuntimeError:
        return False


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.settimeout(0.05)
        return s.connect_ex(("127.0.0.1", port)) == 0


async def run(args) -> dict:
    server = Server(in_process=True)  # the CLI in this process: 10 `screens add` commands
    try:
        server.prepare()
        keys = server.screens(args.screens)
        server.start(*args.serve)
        port = server.port
        ask = "" if args.plain else "?snapshot=deflate-raw"
        fleet = Fleet([f"ws://127.0.0.1:{port}/ws/screen/{k}{ask}" for k in keys])
        t0 = time.monotonic()
        fleet.start()
        if not await fleet.wait_all(t0, 120):
            raise RuntimeError(f"only {fleet.count(t0)} of {args.screens} screens connected")
        print(f"{args.screens} screens connected in {time.monotonic() - t0:.1f} s "
              f"(snapshot {fleet.size} bytes)")
        await asyncio.sleep(2)

        def kill() -> None:
            server.stop(timeout=30)

        cpu = {}

        def restart() -> None:
            server.procs, server.ports = [], []
            log = server.data_dir / "server-restarted.log"
            import subprocess

            from bench.harness import SIGNAGE

            server.procs.append(subprocess.Popen(
                [SIGNAGE, "serve", "--port", str(port), *args.serve], env=server.env,
                stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True))
            server.ports.append(port)
            server.logs.append(log)

        base = f"http://127.0.0.1:{port}"

        def on_up() -> float:
            if args.profile:  # py-spy on the new server while the screens come back
                import subprocess

                py_spy = str(Path(sys.executable).with_name("py-spy"))
                for pid in server.pids():
                    subprocess.Popen([py_spy, "record", "--gil", "--nonblocking", "--format",
                                      "raw", "-r", "250", "-d", str(args.profile_seconds),
                                      "-o", f"{args.profile}-{pid}.txt", "-p", str(pid)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return server.cpu_seconds()

        result = await storm(fleet, kill, restart, lambda: _up(base), args.timeout,
                             on_up=on_up)
        cpu["storm_s"] = server.cpu_seconds() - result.pop("up_mark")
        await asyncio.sleep(1)
        size = fleet.size
        await fleet.stop()
        server.stop()
        result["server_cpu_s"] = cpu["storm_s"]
        result["cpu_ms_per_reconnect"] = cpu["storm_s"] * 1000 / max(1, result["back"])
        result["log_errors"] = server.tracebacks()[:5]

        # The reference, to the same number of clients.
        raw_port = free_port()

        def start_raw() -> mp.Process:
            p = mp.Process(target=raw_server, args=(raw_port, size), daemon=True)
            p.start()
            return p

        raw = {"proc": start_raw()}
        while not _port_open(raw_port):
            await asyncio.sleep(0.02)
        rfleet = Fleet([f"ws://127.0.0.1:{raw_port}/"] * args.screens)
        t0 = time.monotonic()
        rfleet.start()
        await rfleet.wait_all(t0, 120)
        await asyncio.sleep(1)

        def raw_kill() -> None:
            raw["proc"].terminate()
            raw["proc"].join(30)

        def raw_restart() -> None:
            raw["proc"] = start_raw()

        ref = await storm(rfleet, raw_kill, raw_restart, lambda: _port_open(raw_port), args.timeout)
        ref.pop("up_mark")
        await rfleet.stop()
        raw["proc"].terminate()
        return {"screens": args.screens, "snapshot_bytes": size, "signage": result, "floor": ref}
    finally:
        server.cleanup()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--screens", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--plain", action="store_true",
                    help="snapshots as JSON text (as a page without DecompressionStream)")
    ap.add_argument("--serve", nargs="*", default=[], help="extra `signage serve` arguments")
    ap.add_argument("--profile", metavar="PREFIX",
                    help="py-spy (--gil, collapsed stacks) on the new server from its first "
                         "snapshot: PREFIX-<pid>.txt (pip install py-spy)")
    ap.add_argument("--profile-seconds", type=int, default=8)
    ap.add_argument("--json")
    args = ap.parse_args()
    out = asyncio.run(run(args))
    s, f = out["signage"], out["floor"]
    fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
    print()
    print(table(f"reconnect storm: {out['screens']} screens, snapshot {out['snapshot_bytes']} bytes "
                "(seconds)",
                ["server", "all back", "stop", "SIGTERM→all", "up→all", "up→p50", "up→p99",
                 "first→all", "CPU ms/reconnect"],
                [["signage", f"{s['back']}/{out['screens']}", fmt(s["stop_s"]),
                  fmt(s["from_sigterm_s"]), fmt(s["from_up_s"]), fmt(s["p50_from_up_s"]),
                  fmt(s["p99_from_up_s"]), fmt(s["first_to_all_s"]),
                  f"{s['cpu_ms_per_reconnect']:.1f}"],
                 ["raw asyncio", f"{f['back']}/{out['screens']}", fmt(f["stop_s"]),
                  fmt(f["from_sigterm_s"]), fmt(f["from_up_s"]), fmt(f["p50_from_up_s"]),
                  fmt(f["p99_from_up_s"]), fmt(f["first_to_all_s"]), "—"]]))
    write_json("reconnect", out, args.json)
    if s["log_errors"]:
        print("FAIL: tracebacks in the server log:", *s["log_errors"], sep="\n  ", file=sys.stderr)
        raise SystemExit(1)
    if not s["all_back"]:
        print("FAIL: not every screen came back", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
