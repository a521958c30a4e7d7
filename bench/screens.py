"""What an idle screen costs the server: memory, threads, CPU with pings, /healthz.

    python bench/screens.py [--steps 500,1000,2000] [--idle-seconds 10] [--json PATH]

Connects screens in steps (one asyncio client process, distinct screen keys) and, at
each step, reads the server's resident memory and thread count, then its CPU over
`--idle-seconds` of idleness with the server's pings on (SIGNAGE_PING_INTERVAL=5 here,
so a short window sees several rounds; the default is 20 s), and times /healthz while
the next step's screens connect. Reference in the same run: a raw asyncio server (the
`websockets` library) holding the same number of connections from the same client, and
answering /healthz with a fixed body from the same loop (the floor of that latency on
this machine at this load).

Talks only to 127.0.0.1; stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import urllib.request
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Server, free_port, pct, table, write_json  # noqa: E402

PING_S = 5


def raw_server(port: int) -> None:
    async def handler(ws):
        await ws.send('{"type":"snapshot"}')
        await ws.wait_closed()

    def healthz(connection, request):
        """The floor of /healthz: a fixed answer from the same loop as the sockets."""
        if request.path == "/healthz":
            return connection.respond(200, '{"status":"ok"}\n')
        return None

    async def main() -> None:
        stop = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
        async with websockets.serve(handler, "127.0.0.1", port, compression=None,
                                    ping_interval=PING_S, max_queue=None,
                                    process_request=healthz):
            await stop

    asyncio.run(main())


def proc_stats(pid: int) -> tuple[int, int, float]:
    """(RSS bytes, threads, CPU seconds) of one process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) * 1024 for line in status.splitlines()
               if line.startswith("VmRSS:"))
    threads = len(os.listdir(f"/proc/{pid}/task"))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return rss, threads, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Health(threading.Thread):
    """Times GET /healthz every 100 ms while screens connect."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.times, self.failures = base, [], 0
        self.running = True

    def run(self) -> None:
        while self.running:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=10) as r:
                    r.read()
                self.times.append(time.perf_counter() - t0)
            except OSError:
                self.failures += 1
            time.sleep(0.1)


async def connect(urls: list[str], conns: list) -> None:
    sem = asyncio.Semaphore(50)

    async def one(url: str) -> None:
        async with sem:
            for attempt in range(30):
                try:
                    ws = await websockets.connect(url, compression=None, max_size=2**24,
                                                  ping_interval=None, open_timeout=30)
                    await ws.recv(decode=False)  # the snapshot
                    conns.append(ws)
                    return
                except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
                    await asyncio.sleep(0.2 * (attempt + 1))
            raise RuntimeError("could not connect")

    await asyncio.gather(*(one(u) for u in urls))


async def measure(pid: int, urls: list[str], steps: list[int], idle: float, base: str | None
                  ) -> list[dict]:
    conns: list = []
    rows = []
    rss0, threads0, _ = proc_stats(pid)
    rows.append({"screens": 0, "rss": rss0, "threads": threads0})
    for n in steps:
        health = Health(base) if base else None
        if health:
            health.start()
        t0 = time.monotonic()
        await connect(urls[len(conns):n], conns)
        took = time.monotonic() - t0
        if health:
            health.running = False
        await asyncio.sleep(2)
        rss, threads, cpu0 = proc_stats(pid)
        await asyncio.sleep(idle)
        _, _, cpu1 = proc_stats(pid)
        row = {"screens": n, "connect_s": took, "rss": rss, "threads": threads,
               "idle_cpu_pct": (cpu1 - cpu0) / idle * 100,
               "rss_per_screen": (rss - rss0) / n, "threads_per_screen": (threads - threads0) / n}
        if health:
            row.update(healthz_p50_ms=pct(health.times, 50) * 1000,
                       healthz_p99_ms=pct(health.times, 99) * 1000,
                       healthz_max_ms=max(health.times, default=0) * 1000,
                       healthz_over_100ms=sum(1 for t in health.times if t > 0.1),
                       healthz_count=len(health.times),
                       healthz_failures=health.failures)
        rows.append(row)
        print(f"  {n} screens: {rss / 2**20:.0f} MiB, {threads} threads, "
              f"idle CPU {row['idle_cpu_pct']:.1f} %", flush=True)
    await asyncio.gather(*(ws.close() for ws in conns), return_exceptions=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", default="500,1000,2000")
    ap.add_argument("--idle-seconds", type=float, default=10)
    ap.add_argument("--serve", nargs="*", default=[], help="extra `signage serve` arguments")
    ap.add_argument("--profile", metavar="PATH",
                    help="py-spy on the worker from its start (collapsed stacks to PATH)")
    ap.add_argument("--profile-seconds", type=int, default=60)
    ap.add_argument("--json")
    args = ap.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    # The CLI in this process: 5,000 screens are 50 `screens add` commands.
    server = Server(env_extra={"SIGNAGE_PING_INTERVAL": str(PING_S)}, in_process=True)
    try:
        server.prepare()
        keys = server.screens(max(steps))
        threads = ["--threads", str(max(steps) + 300)] if "--threads" not in args.serve else []
        server.start(*threads, *args.serve)
        worker = server.pids()[-1]
        if args.profile:  # py-spy on the worker while the screens connect
            import subprocess

            subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record",
                              "--nonblocking", "--format", "raw", "-r", "200",
                              "-d", str(args.profile_seconds), "-o", args.profile,
                              "-p", str(worker)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"signage ({' '.join(args.serve) or 'gthread'}):")
        urls = [f"ws://127.0.0.1:{server.port}/ws/screen/{k}" for k in keys]
        signage_rows = asyncio.run(measure(worker, urls, steps, args.idle_seconds, server.base))
        server.stop()
        bad = server.tracebacks()

        port = free_port()
        raw = mp.Process(target=raw_server, args=(port,), daemon=True)
        raw.start()
        time.sleep(1)
        print("raw asyncio:")
        raw_rows = asyncio.run(measure(raw.pid, [f"ws://127.0.0.1:{port}/"] * max(steps), steps,
                                       args.idle_seconds, f"http://127.0.0.1:{port}"))
        raw.terminate()
    finally:
        server.cleanup()

    rows = []
    for s, r in zip(signage_rows[1:], raw_rows[1:], strict=True):
        rows.append([s["screens"], f"{s['rss'] / 2**20:.0f}", f"{s['rss_per_screen'] / 1024:.0f}",
                     f"{r['rss_per_screen'] / 1024:.0f}", s["threads"],
                     f"{s['threads_per_screen']:.2f}", f"{s['idle_cpu_pct']:.1f}",
                     f"{r['idle_cpu_pct']:.1f}", f"{s['connect_s']:.1f}",
                     f"{s['healthz_p50_ms']:.0f}/{s['healthz_p99_ms']:.0f}/{s['healthz_max_ms']:.0f}",
                     f"{s['healthz_over_100ms']}/{s['healthz_count']}",
                     f"{r['healthz_p50_ms']:.0f}/{r['healthz_p99_ms']:.0f}/{r['healthz_max_ms']:.0f}"])
    print()
    print(table(f"idle screens (pings every {PING_S} s); reference: raw asyncio server",
                ["screens", "RSS MiB", "KB/screen", "raw KB/screen", "threads", "threads/screen",
                 "idle CPU %", "raw idle CPU %", "connect s", "/healthz p50/p99/max ms",
                 "/healthz >100 ms", "raw /healthz p50/p99/max ms"], rows))
    write_json("screens", {"args": vars(args), "ping_interval_s": PING_S,
                           "signage": signage_rows, "floor": raw_rows, "log_errors": bad[:5]},
               args.json)
    if bad:
        print("FAIL: tracebacks in the server log:", *bad[:5], sep="\n  ", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
