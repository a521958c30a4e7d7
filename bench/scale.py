"""Screens at scale: `signage serve --workers 4` on PostgreSQL + Redis, screens connecting
in steps, and at each step what they cost and how fast a counter's call reaches them all.

    python bench/scale.py [--steps 1000,2000,4000,6000,8000,10000] [--workers 4] [--worker-class gevent]
                          [--clients 4] [--rounds 10] [--budget 540] [--json PATH]

The server: a fresh PostgreSQL database (created on 127.0.0.1:5432 and dropped at the
end), Redis on 127.0.0.1:6379 under a key prefix of its own (SIGNAGE_REDIS_PREFIX, its
keys deleted at the end), and `signage serve --workers N` (its connection budget check
included: the benchmark refuses to start when the database server has not room for the
pools). The clients: `--clients` asyncio processes, each holding its share of the
screens (distinct screen keys) and, in the same run, of the connections to the floor —
a raw asyncio broadcaster (bench/fanout.py's) holding the same number of connections,
in as many processes as the server has workers.

At each step: connected screens, the serving processes' resident memory (total and per
screen, against the floor's) and threads; then `--rounds` counter calls
(`POST /api/v1/counters/<id>/call-next`, from the moment the request is sent) until
EVERY screen has its `queue.call`, interleaved with broadcasts of a message of the same
size by the floor until every connection has it: p50/p99 and the ratio. The load average
of the machine is recorded per step (other people's work moves the absolute figures;
compare the ratios).

Stops by itself: steps are skipped when the time left in `--budget` would not hold them,
and stepping stops when screens fail to connect or a round does not reach them all.
Talks only to 127.0.0.1. Exits 1 if the server logged a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

import websockets
import websockets.sync.client

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fanout import floor_server  # noqa: E402
from bench.harness import (  # noqa: E402
    PG_ADMIN,
    REDIS_URL,
    Postgres,
    Server,
    free_port,
    http,
    pct,
    table,
    write_json,
)
from bench.screens import proc_stats  # noqa: E402

CALL = b'"queue.call"'
REFRESH = b'"queue.updated"'  # follows every call, coalesced (docs/queue.md)
FLOOR = b'"notice.updated"'  # what bench/fanout.py's floor broadcasts
ROUND_TIMEOUT_S = 60
QUIET_S = 0.5


# ---- the clients: asyncio processes holding their share of both kinds of connection ---

class Group:
    """One kind of connection (signage or floor) in one client process."""

    def __init__(self) -> None:
        self.conns: list = []
        self.tasks: set[asyncio.Task] = set()
        self.match = b""
        self.arrivals: list[float] = []
        self.then, self.thens = b"", 0  # what must follow the message (not timed), seen
        self.size = 0
        self.closed = 0
        self.done: asyncio.Future | None = None
        self.last = 0.0  # when any connection last received anything
        self.others = 0  # messages that arrived during a round and were not its own

    async def connect(self, urls: list[str], concurrency: int, first_message: bool) -> int:
        """Open these connections (waiting for the server's first message, the snapshot,
        when there is one); how many failed after a few tries."""
        sem = asyncio.Semaphore(concurrency)

        async def one(url: str) -> bool:
            async with sem:
                for attempt in range(4):
                    try:
                        ws = await websockets.connect(url, compression=None, max_size=2**24,
                                                      ping_interval=None, open_timeout=60,
                                                      close_timeout=5)
                        if first_message:
                            await asyncio.wait_for(ws.recv(decode=False), 60)
                    except (OSError, TimeoutError, websockets.exceptions.WebSocketException):
                        await asyncio.sleep(0.5 * (attempt + 1))
                        continue
                    self.conns.append(ws)
                    task = asyncio.create_task(self._read(ws))
                    self.tasks.add(task)
                    return True
                return False

        done = await asyncio.gather(*(one(u) for u in urls))
        return done.count(False)

    async def _read(self, ws) -> None:
        try:
            while True:
                raw = await ws.recv(decode=False)
                self.last = time.monotonic()
                head = raw[:120]
                if self.match and self.match in head:
                    self.arrivals.append(time.monotonic())
                    self.size = len(raw)
                elif self.then and self.then in head:
                    self.thens += 1
                else:
                    self.others += 1
                    continue
                if (len(self.arrivals) >= len(self.conns) and self.thens >= self.then_need
                        and self.done and not self.done.done()):
                    self.done.set_result(None)
        except websockets.exceptions.ConnectionClosed:
            self.closed += 1

    @property
    def then_need(self) -> int:
        return len(self.conns) if self.then else 0

    def arm(self, match: bytes, then: bytes) -> None:
        self.match, self.arrivals, self.then, self.thens = match, [], then, 0
        self.done = asyncio.get_running_loop().create_future()
        if not self.conns:
            self.done.set_result(None)

    async def close(self) -> None:
        if self.conns:
            await asyncio.wait([asyncio.create_task(ws.close()) for ws in self.conns], timeout=30)


async def _client(pipe: Connection) -> None:
    loop = asyncio.get_running_loop()
    groups = {"signage": Group(), "floor": Group()}
    while True:
        if not await loop.run_in_executor(None, pipe.poll, 1800):
            return  # the parent is gone
        cmd, *rest = pipe.recv()
        if cmd == "connect":
            name, urls, concurrency = rest
            t0 = time.monotonic()
            failed = await groups[name].connect(urls, concurrency, name == "signage")
            pipe.send((failed, time.monotonic() - t0))
        elif cmd == "round":
            name, match, then, timeout = rest
            group = groups[name]
            for g in groups.values():
                g.others = 0
            group.arm(match, then)
            pipe.send("armed")
            try:
                await asyncio.wait_for(asyncio.shield(group.done), timeout)
            except TimeoutError:
                pass
            others = sum(g.others for g in groups.values())
            pipe.send((group.arrivals, len(group.conns), group.size, group.closed, others))
            group.match = group.then = b""
        elif cmd == "quiet":  # until nothing arrived for a while (the queue's refresh)
            quiet, limit = rest
            deadline = time.monotonic() + limit
            while time.monotonic() < deadline and time.monotonic() - max(
                    g.last for g in groups.values()) < quiet:
                await asyncio.sleep(quiet / 4)
            pipe.send("quiet")
        elif cmd == "close":
            for group in groups.values():
                await group.close()
            pipe.send("closed")
            return


def client_main(pipe: Connection) -> None:
    asyncio.run(_client(pipe))


class Clients:
    """`n` client processes; commands go to all of them at once."""

    def __init__(self, n: int) -> None:
        self.pipes: list[Connection] = []
        self.procs: list[mp.Process] = []
        for _ in range(n):
            here, there = mp.Pipe()
            proc = mp.Process(target=client_main, args=(there,), daemon=True)
            proc.start()
            self.pipes.append(here)
            self.procs.append(proc)

    def _gather(self, timeout: float) -> list:
        out = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise RuntimeError(f"a client process did not answer within {timeout:.0f} s")
            out.append(pipe.recv())
        return out

    def connect(self, name: str, urls: list[str], concurrency: int) -> tuple[int, float]:
        """Spread `urls` over the processes; (failed, seconds)."""
        t0 = time.monotonic()
        for i, pipe in enumerate(self.pipes):
            pipe.send(("connect", name, urls[i::len(self.pipes)], concurrency))
        failed = sum(f for f, _ in self._gather(900))
        return failed, time.monotonic() - t0

    def round(self, name: str, match: bytes, trigger, then: bytes = b"") -> dict:
        """Wait until the clients are quiet, arm every process, trigger, and gather when
        each connection got the message — and, with `then`, also the message that follows
        it (not timed): a call's refresh of the queue panel to every screen would otherwise
        land in the floor's round."""
        for pipe in self.pipes:
            pipe.send(("quiet", QUIET_S, 20))
        self._gather(60)
        for pipe in self.pipes:
            pipe.send(("round", name, match, then, ROUND_TIMEOUT_S))
        self._gather(60)
        t0 = time.monotonic()
        trigger()
        arrivals, conns, size, closed, others = [], 0, 0, 0, 0
        for got, n, s, c, o in self._gather(ROUND_TIMEOUT_S + 30):
            arrivals += got
            conns, size, closed, others = conns + n, max(size, s), closed + c, others + o
        lat = [a - t0 for a in arrivals]
        return {"all_s": max(lat, default=float("nan")), "p99_each_s": pct(lat, 99),
                "spread_s": max(lat, default=0) - min(lat, default=0),
                "received": len(lat), "connections": conns, "size": size, "closed": closed,
                "others": others}

    def rss_bytes(self) -> int:
        return sum(proc_stats(p.pid)[0] for p in self.procs if p.is_alive())

    def cpu_seconds(self) -> float:
        return sum(proc_stats(p.pid)[2] for p in self.procs if p.is_alive())

    def close(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send(("close",))
            except OSError:
                pass
        for pipe in self.pipes:
            try:
                pipe.poll(60) and pipe.recv()
            except (OSError, EOFError):
                pass
        for proc in self.procs:
            proc.join(5)
            if proc.is_alive():
                proc.kill()


# ---- PostgreSQL and Redis ---------------------------------------------------------------

def connection_budget(workers: int) -> tuple[int, int, int]:
    """(max_connections, in use now, what the serving pools may open); exits 2, in words,
    when the database server has no room for them besides its other users."""
    import psycopg

    from signage.cli.serve import RESERVED_CONNECTIONS
    from signage.store.db import POOL_OVERFLOW, POOL_SIZE

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])
        used = int(conn.execute("SELECT count(*) FROM pg_stat_activity").fetchone()[0])
    need = workers * (POOL_SIZE + POOL_OVERFLOW)
    if used + need > limit - RESERVED_CONNECTIONS:
        raise SystemExit(f"PostgreSQL has {limit} connections, {used} in use: {workers} workers "
                         f"× {POOL_SIZE + POOL_OVERFLOW} would leave fewer than "
                         f"{RESERVED_CONNECTIONS} for others. Lower --workers.")
    return limit, used, need


class PgWatch(threading.Thread):
    """The most connections our database (and the server as a whole) had, sampled."""

    def __init__(self, dbname: str) -> None:
        super().__init__(daemon=True)
        self.dbname, self.ours, self.total, self.running = dbname, 0, 0, True

    def run(self) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            while self.running:
                ours, total = conn.execute(
                    "SELECT count(*) FILTER (WHERE datname = %s), count(*) FROM pg_stat_activity",
                    (self.dbname,)).fetchone()
                self.ours, self.total = max(self.ours, ours), max(self.total, total)
                time.sleep(0.5)

    def take(self) -> tuple[int, int]:
        """The maxima since the last call."""
        got = (self.ours, self.total)
        self.ours = self.total = 0
        return got


def redis_cleanup(prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
    return len(keys)


# ---- the run ------------------------------------------------------------------------------

def add_screens(server: Server, token: str, have: list[str], n: int) -> None:
    """Screen keys up to `n`, through the API (100 names a request)."""
    while len(have) < n:
        names = [f"scale-{i}" for i in range(len(have), min(n, len(have) + 100))]
        got = http("POST", server.base + "/api/v1/screens", token,
                   {"names": names, "zone": "sanh-chinh"}, timeout=120)
        have += [s["key"] for s in got["items"]]


def run(args, steps: list[int]) -> dict:
    started, load_start = time.monotonic(), [round(x, 2) for x in os.getloadavg()]
    pg_limit, pg_used, pg_need = connection_budget(args.workers)
    pg = Postgres()
    prefix = f"signage-bench-{uuid.uuid4().hex[:8]}"
    server = Server(env_extra={"SIGNAGE_DATABASE_URL": pg.url, "SIGNAGE_REDIS_URL": REDIS_URL,
                               "SIGNAGE_REDIS_PREFIX": prefix}, in_process=True)
    # The floor gets as many processes as the server has workers (each its share of the
    # connections): on two contended cores four processes get more CPU than one.
    floor_ports = [free_port() for _ in range(args.workers)]
    readies = [mp.Event() for _ in floor_ports]
    floors = [mp.Process(target=floor_server, args=(port, ready), daemon=True)
              for port, ready in zip(floor_ports, readies, strict=True)]
    clients = Clients(args.clients)
    watch = PgWatch(pg.name)
    rows: list[dict] = []
    stopped = None
    phases: dict[str, float] = {}
    mark = started

    def phase(name: str) -> None:
        nonlocal mark
        phases[name], mark = time.monotonic() - mark, time.monotonic()

    stack = contextlib.ExitStack()
    try:
        for floor in floors:  # forked before this process has threads (the CLI's, below)
            floor.start()
        # `serve` makes the schema and loads content/ into the empty database itself.
        server.start("--workers", str(args.workers), "--worker-class", args.worker_class,
                     "--threads", str(max(steps) + 300), wait_s=300)
        phase("start")
        kiosk, operator = server.kiosk(), server.token("quay", "operator")
        admin = server.token("quantri", "admin")
        if not all(ready.wait(30) for ready in readies):
            raise RuntimeError("the floor server did not start")
        watch.start()
        counter = http("GET", server.base + "/api/v1/counters")["items"][0]
        service = counter["services"][0]
        with ThreadPoolExecutor(8) as pool:  # a number for every call to come
            list(pool.map(lambda _: http("POST", server.base + "/api/v1/tickets",
                                         body={"service": service},
                                         headers={"X-Kiosk-Key": kiosk}),
                          range((args.rounds + 1) * len(steps) + 5)))
        phase("accounts and tickets")
        controls = [stack.enter_context(websockets.sync.client.connect(
            f"ws://127.0.0.1:{port}/control", compression=None)) for port in floor_ports]

        def floor_rss() -> int:
            return sum(proc_stats(floor.pid)[0] for floor in floors)

        time.sleep(2)
        rss0, threads0 = server.rss_bytes(), server.threads()
        floor_rss0 = floor_rss()
        client_rss0 = clients.rss_bytes()
        rows.append({"screens": 0, "rss": rss0, "threads": threads0, "floor_rss": floor_rss0,
                     "clients_rss": client_rss0})
        keys: list[str] = []
        held = 0
        per_screen_s = None
        for n in steps:
            left = args.budget - (time.monotonic() - started)
            need = (n - held) * (per_screen_s or 0) * 1.2 + args.rounds * 4 + 30
            if per_screen_s is not None and need > left:
                stopped = (f"time budget: {n} screens would need ~{need:.0f} s more, "
                           f"{left:.0f} s of --budget {args.budget:.0f} left")
                break
            t_keys = time.monotonic()
            add_screens(server, admin, keys, n)
            t_keys = time.monotonic() - t_keys
            urls = [f"ws://127.0.0.1:{server.port}/ws/screen/{k}" for k in keys[held:n]]
            cpu = server.cpu_seconds(), clients.cpu_seconds()
            failed, took = clients.connect("signage", urls, args.concurrency)
            cpu = server.cpu_seconds() - cpu[0], clients.cpu_seconds() - cpu[1]
            ffailed, ftook = clients.connect(
                "floor", [f"ws://127.0.0.1:{floor_ports[i % len(floor_ports)]}/"
                          for i in range(held, n)], 100)
            per_screen_s = (took + ftook + t_keys) / (n - held)
            time.sleep(2)
            rss, threads = server.rss_bytes(), server.threads()
            floor_now, client_rss = floor_rss(), clients.rss_bytes()
            calls, floor_rounds, answers = [], [], []

            def call_next(answers: list[float] = answers) -> None:
                t0 = time.monotonic()
                http("POST", f"{server.base}/api/v1/counters/{counter['id']}/call-next",
                     operator, {}, timeout=60)
                answers.append(time.monotonic() - t0)

            for i in range(args.rounds + 1):  # the first round warms up, not counted
                call = clients.round("signage", CALL, call_next, then=REFRESH)
                size = call["size"] or 1500
                flo = clients.round("floor", FLOOR, lambda size=size: [
                    control.send(str(size)) for control in controls])
                if i:
                    calls.append(call)
                    floor_rounds.append(flo)
                if call["received"] < call["connections"] or flo["received"] < flo["connections"]:
                    break
            pg_ours, pg_total = watch.take()
            s_all = [c["all_s"] for c in calls]
            f_all = [f["all_s"] for f in floor_rounds]
            row = {
                "screens": n, "connected": n - failed, "failed": failed, "connect_s": took,
                "floor_failed": ffailed, "floor_connect_s": ftook, "keys_s": t_keys,
                "rss": rss, "threads": threads, "rss_per_screen": (rss - rss0) / n,
                "threads_per_screen": (threads - threads0) / n,
                "floor_rss": floor_now, "floor_rss_per_screen": (floor_now - floor_rss0) / n,
                "clients_rss": client_rss, "clients_rss_per_connection":
                    (client_rss - client_rss0) / (2 * n),
                "message_bytes": calls[-1]["size"] if calls else 0,
                "rounds": len(calls),
                "call_all_ms": [v * 1000 for v in s_all], "floor_all_ms": [v * 1000 for v in f_all],
                "call_p50_ms": pct(s_all, 50) * 1000, "call_p99_ms": pct(s_all, 99) * 1000,
                "floor_p50_ms": pct(f_all, 50) * 1000, "floor_p99_ms": pct(f_all, 99) * 1000,
                "call_answer_p50_ms": pct(answers[1:], 50) * 1000,
                "call_spread_p50_ms": pct([c["spread_s"] for c in calls], 50) * 1000,
                "floor_spread_p50_ms": pct([f["spread_s"] for f in floor_rounds], 50) * 1000,
                "server_cpu_ms_per_connect": cpu[0] * 1000 / (n - held),
                "clients_cpu_ms_per_connect": cpu[1] * 1000 / (n - held),
                "call_each_p99_ms": pct([c["p99_each_s"] for c in calls], 50) * 1000,
                "floor_each_p99_ms": pct([f["p99_each_s"] for f in floor_rounds], 50) * 1000,
                "missed": sum(c["connections"] - c["received"] for c in calls[-1:]),
                "floor_missed": sum(f["connections"] - f["received"] for f in floor_rounds[-1:]),
                "others_during_calls": sum(c["others"] for c in calls),
                "others_during_floor": sum(f["others"] for f in floor_rounds),
                "closed_by_server": calls[-1]["closed"] if calls else 0,
                "pg_connections_ours": pg_ours, "pg_connections_total": pg_total,
                "load": [round(x, 2) for x in os.getloadavg()],
            }
            row["ratio_p50"] = row["call_p50_ms"] / row["floor_p50_ms"] if f_all else math.nan
            row["ratio_p99"] = row["call_p99_ms"] / row["floor_p99_ms"] if f_all else math.nan
            rows.append(row)
            held = n
            print(f"  {n} screens: {n - failed} connected in {took:.0f} s, "
                  f"{rss / 2**20:.0f} MiB, {threads} threads, call p99 {row['call_p99_ms']:.0f} ms "
                  f"(floor {row['floor_p99_ms']:.0f} ms), load {row['load'][0]}", flush=True)
            if failed > n * 0.01 or row["missed"] or row["floor_missed"] or not calls:
                stopped = (f"at {n} screens: {failed} failed to connect, {row['missed']} missed "
                           f"the call, {row['floor_missed']} missed the floor's message")
                break
        phase("steps")
    finally:
        # Each step even when one before it failed: the database, the Redis keys and the
        # data dir must not outlive the run.
        bad: list[str] = []
        redis_keys: list[int] = []
        with contextlib.ExitStack() as cleanup:  # callbacks run last-registered first
            cleanup.callback(lambda: phase("cleanup"))
            cleanup.callback(lambda: redis_keys.append(redis_cleanup(prefix)))
            cleanup.callback(pg.drop)
            cleanup.callback(server.cleanup)
            cleanup.callback(lambda: bad.extend(server.tracebacks()))
            cleanup.callback(lambda: [f.terminate() for f in floors if f.is_alive()])
            cleanup.callback(server.stop, timeout=60)
            cleanup.callback(setattr, watch, "running", False)
            cleanup.callback(clients.close)
            cleanup.callback(stack.close)
    return {"rows": rows, "stopped": stopped, "log_errors": bad[:20], "log_error_count": len(bad),
            "postgres": {"max_connections": pg_limit, "in_use_before": pg_used,
                         "pools_may_open": pg_need},
            "redis_keys_deleted": sum(redis_keys), "seconds": time.monotonic() - started,
            "phases_s": phases, "load_start": load_start}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", default="1000,2000,4000,6000,8000,10000")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--worker-class", choices=["gevent", "gthread"], default="gevent")
    ap.add_argument("--clients", type=int, default=4, help="asyncio client processes")
    ap.add_argument("--concurrency", type=int, default=16,
                    help="screens each client process has connecting at once")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--budget", type=float, default=540, help="seconds the run may take")
    ap.add_argument("--json")
    args = ap.parse_args()
    steps = sorted(int(s) for s in args.steps.split(","))
    # SIGTERM (`timeout`, a stopped job) unwinds like Ctrl-C, so the cleanup runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"signage serve --workers {args.workers} --worker-class {args.worker_class} "
          f"(PostgreSQL + Redis), {args.clients} client processes; load {os.getloadavg()[0]:.1f}")
    result = run(args, steps)
    rows = []
    for r in result["rows"][1:]:
        rows.append([r["screens"], r["connected"], f"{r['connect_s']:.0f}",
                     f"{r['rss'] / 2**20:.0f}", f"{r['rss_per_screen'] / 1024:.0f}",
                     f"{r['floor_rss_per_screen'] / 1024:.0f}", r["threads"],
                     f"{r['call_p50_ms']:.0f}", f"{r['call_p99_ms']:.0f}",
                     f"{r['floor_p50_ms']:.0f}", f"{r['floor_p99_ms']:.0f}",
                     f"{r['ratio_p99']:.2f}", f"{r['call_answer_p50_ms']:.0f}",
                     f"{r['server_cpu_ms_per_connect']:.1f}", r["pg_connections_ours"],
                     f"{r['load'][0]:.1f}"])
    print()
    print(table(f"{args.workers} × signage serve --worker-class {args.worker_class}, PostgreSQL + "
                f"Redis; call-to-glass over {args.rounds} rounds; reference: raw asyncio "
                "broadcaster, same clients",
                ["screens", "connected", "connect s", "RSS MiB", "KB/screen", "floor KB/screen",
                 "threads", "call p50 ms", "call p99 ms", "floor p50 ms", "floor p99 ms",
                 "ratio p99", "answer p50 ms", "CPU ms/connect", "PG conns", "load"], rows))
    if result["stopped"]:
        print(f"stopped {result['stopped']}")
    write_json("scale", {"args": vars(args), **result}, args.json)
    if result["log_error_count"]:
        print(f"FAIL: the server logged {result['log_error_count']} error lines:",
              *result["log_errors"][:10], sep="\n  ", file=sys.stderr)
        raise SystemExit(1)
    print("server log: no traceback")


if __name__ == "__main__":
    main()
