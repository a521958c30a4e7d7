"""Many kiosks and counters at once: no number issued twice, no ticket called twice,
none lost. Once on the domain with threads sharing one SQLite store, once through
the REST API against the real `signage serve`."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import select

from signage.errors import SignageError
from signage.queueing import calling, numbering
from signage.store import Store
from signage.store.migrate import upgrade
from signage.store.models_queue import QueueEvent, Ticket
from signage.usecases import Actor, Change
from signage.usecases import queue as queue_uc

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ISSUERS, PER_ISSUER, COUNTERS = 32, 15, 5
PG_ADMIN = "postgresql://127.0.0.1:5432/test"


def run_counters(call_next, issuing_done: threading.Event) -> list[list[object]]:
    """Five counters pressing "next" until the kiosks have stopped and nobody waits."""
    called: list[list[object]] = [[] for _ in range(COUNTERS)]

    def counter(i: int) -> None:
        while True:
            got = call_next(i)
            if got is not None:
                called[i].append(got)
            elif issuing_done.is_set():
                # One more look: a ticket issued just before "done" must not be left.
                got = call_next(i)
                if got is None:
                    return
                called[i].append(got)

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(COUNTERS)]
    for t in threads:
        t.start()
    return called, threads


def test_threads_issuing_and_counters_calling_on_sqlite_lose_nothing(tmp_path):
    hammer_the_domain(Store(f"sqlite:///{tmp_path / 'q.db'}"))


@pytest.mark.postgres
def test_threads_issuing_and_counters_calling_on_postgresql_lose_nothing():
    # Row locks instead of one writer: the upsert and FOR UPDATE SKIP LOCKED do the work.
    name = f"signage_q_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        hammer_the_domain(Store(f"postgresql://127.0.0.1:5432/{name}"))
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def hammer_the_domain(store: Store) -> None:
    # Given a store with two services and five counters serving both
    upgrade(store)
    now = datetime.now(HCM)
    with store.write() as s:
        admin = Change(s, Actor.system(), now, HCM)
        queue_uc.create_service(admin, {"code": "A", "name": "Hộ tịch", "prefix": "A"})
        queue_uc.create_service(admin, {"code": "B", "name": "Chứng thực", "prefix": "B"})
        ids = [queue_uc.create_counter(admin, {"number": n, "services": ["A", "B"]})["id"]
               for n in range(1, COUNTERS + 1)]

    def issue(i: int) -> list[int]:
        out = []
        for k in range(PER_ISSUER):
            with store.write() as s:
                out.append(numbering.issue_ticket(s, "AB"[(i + k) % 2], datetime.now(HCM), HCM).id)
        return out

    def call_next(i: int) -> int | None:
        try:
            with store.write() as s:
                return calling.call_next(s, ids[i], datetime.now(HCM), HCM).ticket.id
        except SignageError as exc:
            assert exc.code == "queue_empty"
            return None

    # When 32 threads issue while 5 counters call
    done = threading.Event()
    called, threads = run_counters(call_next, done)
    with ThreadPoolExecutor(ISSUERS) as pool:
        issued = [t for batch in pool.map(issue, range(ISSUERS)) for t in batch]
    done.set()
    for t in threads:
        t.join(60)

    # Then every ticket is unique, called exactly once, and none is lost
    all_called = [t for per in called for t in per]
    assert len(issued) == ISSUERS * PER_ISSUER == len(set(issued))
    assert sorted(all_called) == sorted(issued)
    with store.read() as s:
        rows = s.execute(select(Ticket.service_id, Ticket.number)).all()
        calls = Counter(s.scalars(select(QueueEvent.ticket_id).where(QueueEvent.kind == "called")))
    assert len(rows) == len(set(rows))
    for service_id in {r.service_id for r in rows}:
        numbers = sorted(n for sid, n in rows if sid == service_id)
        assert numbers == list(range(1, len(numbers) + 1))  # gapless per service
    assert set(calls.values()) == {1}
    store.dispose()


def test_many_clients_through_the_rest_api_against_signage_serve(live_server):
    # Given a service and five counters made through the API by an admin
    status, _ = live_server.request("POST", "/api/v1/services",
                                    {"code": "HAMMER", "name": "Thử tải", "prefix": "H"},
                                    role="admin")
    assert status == 201
    counter_ids = []
    for n in range(901, 901 + COUNTERS):
        status, body = live_server.request("POST", "/api/v1/counters",
                                           {"number": n, "services": ["HAMMER"]}, role="admin")
        assert status == 201, body
        counter_ids.append(body["id"])

    kiosk = live_server.kiosk()

    def issue(_: int) -> list[tuple[int, str]]:
        out = []
        for _k in range(PER_ISSUER):
            status, body = live_server.request("POST", "/api/v1/tickets", {"service": "HAMMER"},
                                               role=None, headers=kiosk)
            assert status == 201, body
            out.append((body["id"], body["display"]))
        return out

    def call_next(i: int) -> int | None:
        status, body = live_server.request("POST", f"/api/v1/counters/{counter_ids[i]}/call-next",
                                           role="admin")
        if status == 404:
            assert body["error"]["code"] == "queue_empty"
            return None
        assert status == 200, body
        return body["id"]

    # When 32 kiosk clients issue while 5 counters call
    done = threading.Event()
    called, threads = run_counters(call_next, done)
    with ThreadPoolExecutor(ISSUERS) as pool:
        issued = [t for batch in pool.map(issue, range(ISSUERS)) for t in batch]
    done.set()
    for t in threads:
        t.join(120)

    # Then: no duplicate number, no ticket called twice, none lost
    ids = [i for i, _ in issued]
    displays = [d for _, d in issued]
    assert len(set(displays)) == len(displays) == ISSUERS * PER_ISSUER
    all_called = [t for per in called for t in per]
    assert len(all_called) == len(set(all_called))
    assert sorted(all_called) == sorted(ids)
