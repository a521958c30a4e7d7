"""/api/v1/services: what a number is taken for (read: anyone, the kiosk; write: admin)."""

from __future__ import annotations

from flask import url_for

from signage.usecases import ADMIN
from signage.usecases import queue as queue_uc
from signage.web.api import PUBLIC, blueprint, items_of, lobby, operation, perform
from signage.web.api import query as read  # the handlers' `query` is the query string

bp = blueprint("services")


@operation(bp, "GET", "/services", summary="Services, in kiosk order (public)", roles=PUBLIC,
           query=queue_uc.ServicesQuery, responses={200: items_of(queue_uc.ServiceOut)})
def list_services(query: queue_uc.ServicesQuery):
    """`?active=1` leaves out the paused ones (what the kiosk offers)."""
    clock = lobby().clock
    return {"items": read(queue_uc.list_services, active_only=query.active, now=clock.now(),
                          tz=clock.tz)}


@operation(bp, "POST", "/services", summary="Define a service by code (admin)", roles=ADMIN,
           body=queue_uc.ServiceIn, responses={201: queue_uc.ServiceDefined}, errors=(409,))
def define_service(body):
    """Created, or redefined when the code exists (201 both; `created` tells). A
    redefinition keeps what is not given and the numbers already issued. Without a
    code, one is made from the name."""
    service = perform(queue_uc.define_service, body)
    return service, 201, {"Location": url_for(".get_service", code=service["code"])}


@operation(bp, "GET", "/services/<code>", summary="One service (public)", roles=PUBLIC,
           responses={200: queue_uc.ServiceOut})
def get_service(code: str):
    clock = lobby().clock
    return read(queue_uc.get_service, code, now=clock.now(), tz=clock.tz)


@operation(bp, "PATCH", "/services/<code>", summary="Change a service (admin)", roles=ADMIN,
           body=queue_uc.ServicePatch, responses={200: queue_uc.ServiceOut}, errors=(409,))
def update_service(code: str, body):
    """The fields given change; `{"active": false}` pauses it (the kiosk stops issuing
    its numbers; those taken are still called)."""
    return perform(queue_uc.update_service, code, body)

