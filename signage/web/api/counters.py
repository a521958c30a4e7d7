"""/api/v1/counters: the desks (read: anyone; define: admin; the officer on duty: an
operator) and what an officer does at one (operators: the counter console)."""

from __future__ import annotations

from flask import url_for

from signage.usecases import ADMIN, OPERATORS
from signage.usecases import queue as queue_uc
from signage.usecases import tickets as tickets_uc
from signage.web.api import PUBLIC, blueprint, items_of, lobby, operation, perform, query

bp = blueprint("counters")


@operation(bp, "GET", "/counters", summary="Counters, by number (public)", roles=PUBLIC,
           responses={200: items_of(queue_uc.CounterOut)})
def list_counters():
    return {"items": query(queue_uc.list_counters)}


@operation(bp, "POST", "/counters", summary="Define a counter by number (admin)", roles=ADMIN,
           body=queue_uc.CounterIn, responses={201: queue_uc.CounterDefined}, errors=(409,))
def define_counter(body):
    """Created, or redefined when the number exists (201 both; `created` tells): a
    counter is a desk known by its number, and keeps its history."""
    counter = perform(queue_uc.define_counter, body)
    return counter, 201, {"Location": url_for(".get_counter", counter_id=counter["id"])}


@operation(bp, "GET", "/counters/<int:counter_id>", summary="One counter (public)",
           roles=PUBLIC, responses={200: queue_uc.CounterOut})
def get_counter(counter_id: int):
    return query(queue_uc.get_counter, counter_id)


@operation(bp, "PATCH", "/counters/<int:counter_id>",
           summary="Change a counter (admin; an operator may set only officer)",
           roles=OPERATORS, body=queue_uc.CounterPatch, responses={200: queue_uc.CounterOut},
           errors=(409,))
def update_counter(counter_id: int, body):
    return perform(queue_uc.update_counter, counter_id, body)


# ---- at the counter (operators) ---------------------------------------------------------

ACTED = {200: tickets_uc.CounterActionOut}


@operation(bp, "POST", "/counters/<int:counter_id>/call-next", roles=OPERATORS,
           summary="Call the next waiting ticket (priority lane first)", responses=ACTED,
           errors=(409,))
def call_next(counter_id: int):
    """Completes the counter's previous ticket. 404 `queue_empty` when nobody waits."""
    clock = lobby().clock
    query(tickets_uc.check_anyone_waiting, counter_id, clock.now(), clock.tz)
    return perform(tickets_uc.call_next, counter_id)


@operation(bp, "POST", "/counters/<int:counter_id>/call", roles=OPERATORS,
           summary="Call one given ticket (held, skipped or waiting)", body=tickets_uc.CallOne,
           responses=ACTED, errors=(409,))
def call_ticket(counter_id: int, body):
    return perform(tickets_uc.call_ticket, counter_id, body)


@operation(bp, "POST", "/counters/<int:counter_id>/recall", roles=OPERATORS,
           summary="Announce the current ticket again", responses=ACTED, errors=(409,))
def recall(counter_id: int):
    """409 `no_current_ticket` when the counter serves nobody."""
    return perform(tickets_uc.recall, counter_id)


@operation(bp, "POST", "/counters/<int:counter_id>/skip", roles=OPERATORS,
           summary="The citizen did not come", body=tickets_uc.TicketRef, body_required=False,
           responses=ACTED, errors=(409,))
def skip(counter_id: int, body):
    return perform(tickets_uc.skip, counter_id, body)


@operation(bp, "POST", "/counters/<int:counter_id>/hold", roles=OPERATORS,
           summary="Put the current ticket aside", body=tickets_uc.TicketRef,
           body_required=False, responses=ACTED, errors=(409,))
def hold(counter_id: int, body):
    return perform(tickets_uc.hold, counter_id, body)


@operation(bp, "POST", "/counters/<int:counter_id>/complete", roles=OPERATORS,
           summary="The citizen was served", body=tickets_uc.TicketRef, body_required=False,
           responses=ACTED, errors=(409,))
def complete(counter_id: int, body):
    return perform(tickets_uc.complete, counter_id, body)


@operation(bp, "POST", "/counters/<int:counter_id>/transfer", roles=OPERATORS,
           summary="Send the current ticket to another service's queue or to one counter",
           body=tickets_uc.TransferIn, responses=ACTED, errors=(409,))
def transfer(counter_id: int, body):
    """`{"service": CODE}` and/or `{"counter": ID}` / `{"counter_number": N}`; the
    ticket keeps its number and its place in time."""
    return perform(tickets_uc.transfer, counter_id, body)
