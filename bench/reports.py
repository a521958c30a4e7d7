"""The reports over a year of a busy ward's history: how long the figures take.

    python bench/reports.py [--per-day 300] [--days 365] [--json PATH]

Seeds a fresh SQLite store (the embedded default) with a year of working days — per day
`--per-day` tickets across the six shipped services, called after a wait, served or
skipped, each with its call event, officers on duty, ratings for 40 % of the served —
then times `queue_report` and `ratings_report` (signage.evaluation.reports: the rows read
once and counted in Python, bucketed in the office zone) for a month and for the year,
each the median of 5 runs. Reference in the same run: reading the same ticket rows with
the same query and doing nothing with them, so the ratio is what the counting costs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from bench.harness import table, write_json  # noqa: E402
from signage import create_app  # noqa: E402
from signage.cli import prepare  # noqa: E402
from signage.evaluation.figures import Period  # noqa: E402
from signage.evaluation.reports import queue_report, ratings_report  # noqa: E402
from signage.store.models_evaluation import Officer, OfficerDuty, Rating  # noqa: E402
from signage.store.models_queue import QueueCounter, QueueEvent, QueueService, Ticket  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RUNS = 5


def seed(lobby, days: int, per_day: int, last: date) -> int:
    rng = random.Random(11)
    with lobby.store.write() as session:
        services = list(session.scalars(select(QueueService)))
        counters = list(session.scalars(select(QueueCounter).order_by(QueueCounter.number)))
        serving = {s.id: [c for c in counters if s in c.services] for s in services}
        start = datetime(last.year, last.month, last.day, tzinfo=TZ) - timedelta(days=days)
        officers = []
        for c in counters:
            officer = Officer(name=f"Cán bộ quầy {c.number}", title="", field="", active=True,
                              created_at=start, updated_at=start)
            session.add(officer)
            officers.append(officer)
        session.flush()
        session.execute(insert(OfficerDuty), [
            {"officer_id": o.id, "counter_id": c.id, "started_at": start, "ended_at": None}
            for o, c in zip(officers, counters, strict=True)])
        tickets, ticket_id = [], 0
        events, ratings = [], []
        for n in range(days):
            day = (start + timedelta(days=n)).date()
            if day.isoweekday() > 5:
                continue
            numbers = dict.fromkeys((s.id for s in services), 1000)
            for _ in range(per_day):
                ticket_id += 1
                service = rng.choice(services)
                numbers[service.id] += 1
                issued = datetime(day.year, day.month, day.day, 7, 30, tzinfo=TZ) + timedelta(
                    seconds=rng.randint(0, 9 * 3600))
                called = issued + timedelta(seconds=rng.randint(60, 3600))
                counter = rng.choice(serving[service.id] or counters)
                outcome = "skipped" if rng.random() < 0.05 else "done"
                finished = called + timedelta(seconds=rng.randint(120, 1500))
                tickets.append({
                    "id": ticket_id, "token": f"b{ticket_id:031d}", "service_id": service.id,
                    "office_date": day, "number": numbers[service.id],
                    "display": f"{service.prefix}-{numbers[service.id]}",
                    "queue_service_id": service.id, "status": outcome,
                    "counter_id": counter.id, "issued_at": issued, "called_at": called,
                    "finished_at": finished, "calls": 1})
                events.append({"ticket_id": ticket_id, "kind": "called",
                               "counter_id": counter.id, "at": called, "detail": {}})
                if outcome == "done" and rng.random() < 0.4:
                    score = rng.choices([3, 2, 1], [70, 25, 5])[0]
                    ratings.append({
                        "ticket_id": ticket_id, "counter_id": counter.id,
                        "officer_id": officers[counters.index(counter)].id,
                        "service_id": service.id, "scale": 3, "score": score,
                        "reasons": ["thoi-gian"] if score == 1 else [], "comment": None,
                        "channel": "tablet", "at": finished + timedelta(seconds=20)})
        for rows, model in ((tickets, Ticket), (events, QueueEvent), (ratings, Rating)):
            for i in range(0, len(rows), 5000):
                session.execute(insert(model), rows[i:i + 5000])
    return len(tickets)


def timed(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"data_dir": Path(folder) / "instance", "testing": True})
        lobby = app.extensions["signage"]
        prepare(lobby, out=lambda *_: None)
        last = date(2026, 11, 30)
        t0 = time.perf_counter()
        count = seed(lobby, args.days, args.per_day, last)
        seeded = time.perf_counter() - t0
        month = Period(date(2026, 11, 1), last)
        year = Period(last - timedelta(days=args.days - 1), last)
        rows = []
        results = {}
        for label, period in (("month", month), ("year", year)):
            def baseline(period=period):
                with lobby.store.read() as session:
                    session.execute(select(
                        Ticket.office_date, Ticket.issued_at, Ticket.called_at,
                        Ticket.finished_at, Ticket.status, Ticket.service_id,
                        Ticket.queue_service_id, Ticket.counter_id).where(
                        Ticket.office_date >= period.since, Ticket.office_date <= period.until,
                        Ticket.status != "void")).all()
            base = timed(baseline)
            queue = timed(lambda period=period: lobby.query(queue_report, period, TZ))
            ratings = timed(lambda period=period: lobby.query(ratings_report, period, TZ))
            results[label] = {"days": period.length, "baseline_s": round(base, 4),
                              "queue_report_s": round(queue, 4),
                              "ratings_report_s": round(ratings, 4),
                              "queue_vs_baseline": round(queue / base, 2)}
            rows.append([label, period.length, f"{base * 1000:.0f}", f"{queue * 1000:.0f}",
                         f"{queue / base:.1f}×", f"{ratings * 1000:.0f}"])
        lobby.store.dispose()
    print(table(f"Reports over {count:,} tickets ({args.per_day}/working day, SQLite), "
                f"median of {RUNS} runs; seeded in {seeded:.1f} s",
                ["period", "days", "read rows ms (ref)", "queue report ms", "ratio",
                 "ratings report ms"], rows))
    write_json("reports", {"tickets": count, "per_day": args.per_day, "results": results},
               args.json)


if __name__ == "__main__":
    main()
