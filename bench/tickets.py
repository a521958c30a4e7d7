"""Ticket issuing under load: 32 kiosks taking numbers while 5 counters call.

    python bench/tickets.py [--db sqlite|postgres|both] [--kiosks 32] [--counters 5]
                            [--seconds 20] [--json PATH]

Each kiosk is a client with a persistent HTTP connection sending `POST /api/v1/tickets`
as a registered kiosk (`X-Kiosk-Key`) back to back; each counter presses call-next
every `--call-every` seconds (0.5 by default: ten calls a second from five counters,
far busier than any lobby; 0 presses back to back). Reference in the same run: the same
server answering a trivial request (a static file through Flask) from the same
clients. Then the books are checked: no number issued twice, no ticket called twice,
none lost (every 201 is a row), and no traceback in the server's log.

Talks only to 127.0.0.1; stops by itself.
"""

from __future__ import annotations

import argparse
import http.client as httpc
import json
import multiprocessing as mp
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Postgres, Server, http, pct, table, write_json  # noqa: E402

SERVICES = ["HOTICH", "CHUNGTHUC", "DATDAI", "XAHOI", "KINHDOANH", "TRAKETQUA"]
CLIENT_PROCS = 2  # the clients' own Python must not be the bottleneck


def _client(port: int, kind: str, ids: list, seconds: float, headers: dict, out,
            pause: float = 0.0) -> None:
    """One client process: a thread per id, each looping until the deadline."""
    deadline = time.monotonic() + seconds
    results: list[tuple] = []
    lock = threading.Lock()

    def loop(ident) -> None:
        conn = httpc.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[tuple] = []
        i = 0
        while time.monotonic() < deadline:
            i += 1
            if kind == "kiosk":
                method, path = "POST", "/api/v1/tickets"
                body = json.dumps({"service": SERVICES[(ident + i) % len(SERVICES)]})
            elif kind == "counter":
                method, path, body = "POST", f"/api/v1/counters/{ident}/call-next", "{}"
            else:
                method, path, body = "GET", "/static/screen.css", None
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
            except (OSError, httpc.HTTPException):
                conn.close()
                conn = httpc.HTTPConnection("127.0.0.1", port, timeout=30)
                mine.append(("x", time.perf_counter() - t0, None))
                continue
            took = time.perf_counter() - t0
            info = None
            if kind != "static" and r.status in (200, 201):
                doc = json.loads(data)
                info = (doc["id"], doc["display"], doc["office_date"])
            mine.append((r.status, took, info))
            if kind == "counter":
                # An officer serves between calls; nobody waiting: looks up a moment later.
                time.sleep(max(pause, 0.02) if r.status == 404 else pause)
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=loop, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put((kind, results))


def run_clients(port: int, kiosks: int, counters: list[int], seconds: float, kiosk_key: str,
                token: str, static: bool = False, call_every: float = 0.0) -> dict[str, list]:
    """Start the kiosk processes (and one counter process); gather what each saw."""
    q: mp.Queue = mp.Queue()
    procs = []
    per = [list(range(i, kiosks, CLIENT_PROCS)) for i in range(CLIENT_PROCS)]
    for ids in per:
        kind = "static" if static else "kiosk"
        procs.append(mp.Process(target=_client, args=(port, kind, ids, seconds,
                                                      {"X-Kiosk-Key": kiosk_key,
                                                       "Content-Type": "application/json"}, q)))
    if counters and not static:
        procs.append(mp.Process(target=_client, args=(port, "counter", counters, seconds,
                                                      {"Authorization": f"Bearer {token}",
                                                       "Content-Type": "application/json"}, q,
                                                      call_every)))
    for p in procs:
        p.start()
    got: dict[str, list] = {"kiosk": [], "counter": [], "static": []}
    for _ in procs:
        kind, batch = q.get(timeout=seconds + 120)
        got[kind] += batch
    for p in procs:
        p.join(30)
    return got


def summarise(label: str, results: list[tuple], seconds: float, ok=(200, 201)) -> dict:
    lat = [took for status, took, _ in results if status in ok]
    statuses = Counter(str(s) for s, _, _ in results)
    return {"label": label, "ok": len(lat), "per_s": len(lat) / seconds,
            "p50_ms": pct(lat, 50) * 1000, "p99_ms": pct(lat, 99) * 1000,
            "max_ms": max(lat, default=0) * 1000, "statuses": dict(statuses)}


def bench_db(db: str, args) -> dict:
    pg = Postgres() if db == "postgres" else None
    server = Server(env_extra={"SIGNAGE_DATABASE_URL": pg.url} if pg else {})
    try:
        server.prepare()
        key = server.kiosk()
        token = server.token("quay", "operator")
        server.start(*args.serve)
        counters = [c["id"] for c in http("GET", server.base + "/api/v1/counters")["items"]
                    ][: args.counters]
        cpu0 = server.cpu_seconds()
        floor = run_clients(server.port, args.kiosks, [], args.floor_seconds, key, token, static=True)
        cpu1 = server.cpu_seconds()
        got = run_clients(server.port, args.kiosks, counters, args.seconds, key, token,
                          call_every=args.call_every)
        cpu2 = server.cpu_seconds()
        issued = [info for status, _, info in got["kiosk"] if status == 201]
        called = [info for status, _, info in got["counter"] if status == 200]
        displays = Counter((d, day) for _, d, day in issued)
        calls = Counter(i for i, _, _ in called)
        ids = {i for i, _, _ in issued}
        stored = _stored_ids(server, ids)
        books = {
            "issued": len(issued),
            "duplicate_numbers": sum(n - 1 for n in displays.values() if n > 1),
            "called": len(called),
            "called_twice": sum(n - 1 for n in calls.values() if n > 1),
            "lost": len(ids - stored),
        }
        server.stop()
        bad = server.tracebacks()
        load = summarise("tickets", got["kiosk"], args.seconds)
        calls = summarise("call-next", got["counter"], args.seconds, ok=(200, 404))
        static = summarise("static file", floor["static"], args.floor_seconds)
        # Server CPU per request: the figure least moved by others sharing the machine.
        static["cpu_ms"] = (cpu1 - cpu0) * 1000 / max(1, static["ok"])
        load["cpu_ms"] = (cpu2 - cpu1) * 1000 / max(1, load["ok"] + calls["ok"])
        calls["cpu_ms"] = load["cpu_ms"]
        return {"db": db, "tickets": load, "calls": calls, "floor": static,
                "books": books, "log_errors": len(bad), "log_sample": bad[:5]}
    finally:
        server.cleanup()
        if pg:
            pg.drop()


def _stored_ids(server: Server, ids: set[int]) -> set[int]:
    """Which of these ticket ids are rows in the database."""
    from sqlalchemy import create_engine, text

    url = server.env.get("SIGNAGE_DATABASE_URL") or f"sqlite:///{server.data_dir / 'signage.db'}"
    url = url.replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {row[0] for row in conn.execute(text("SELECT id FROM queue_tickets"))}
    engine.dispose()
    return ids & found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--kiosks", type=int, default=32)
    ap.add_argument("--counters", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--call-every", type=float, default=0.5,
                    help="each counter's pause between calls, s (0: back to back)")
    ap.add_argument("--floor-seconds", type=float, default=5)
    ap.add_argument("--serve", nargs="*", default=[], help="extra `signage serve` arguments")
    ap.add_argument("--json")
    args = ap.parse_args()

    runs = [bench_db(db, args) for db in (["sqlite", "postgres"] if args.db == "both" else [args.db])]
    rows = []
    for r in runs:
        for part in ("tickets", "calls", "floor"):
            s = r[part]
            rows.append([r["db"], s["label"], s["ok"], f"{s['per_s']:.0f}", f"{s['p50_ms']:.1f}",
                         f"{s['p99_ms']:.1f}", f"{s['max_ms']:.1f}", f"{s['cpu_ms']:.2f}",
                         " ".join(f"{k}:{v}" for k, v in sorted(s["statuses"].items()))])
    print()
    print(table(f"{args.kiosks} kiosks, {args.counters} counters, {args.seconds:.0f} s "
                f"(reference: the same clients fetching a static file, {args.floor_seconds:.0f} s)",
                ["db", "what", "ok", "per s", "p50 ms", "p99 ms", "max ms", "server CPU ms/req",
                 "statuses"], rows))
    print()
    print(table("the books", ["db", "issued", "duplicate numbers", "called", "called twice", "lost",
                              "log errors"],
                [[r["db"], r["books"]["issued"], r["books"]["duplicate_numbers"], r["books"]["called"],
                  r["books"]["called_twice"], r["books"]["lost"], r["log_errors"]] for r in runs]))
    write_json("tickets", {"args": vars(args), "runs": runs}, args.json)
    failed = [r for r in runs if r["log_errors"] or r["books"]["duplicate_numbers"]
              or r["books"]["called_twice"] or r["books"]["lost"]]
    if failed:
        for r in failed:
            print(f"FAIL {r['db']}: {r['books']} {r['log_sample']}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
