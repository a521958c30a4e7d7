"""/api/v1/tickets: taking a number (anyone: the kiosk), and reading a ticket.

With an ESC/POS printer configured (SIGNAGE_ESCPOS), a number is taken in one
transaction, printed outside any (a slow printer must not hold the queue), then
marked printed — or voided, when the print failed, so no ghost number waits.
"""

from __future__ import annotations

from typing import Any

from flask import request

from signage.errors import N_, TooMany
from signage.playlists.service import office
from signage.queueing.printing import PrintError, PrinterSpec, parse_spec, print_ticket
from signage.queueing.views import iso_local
from signage.usecases import OPERATORS
from signage.usecases import tickets as tickets_uc
from signage.web.api import PREFIX, PUBLIC, blueprint, lobby, operation, perform, query
from signage.web.queue import public_base

bp = blueprint("tickets")


@operation(bp, "POST", "/tickets", summary="Take a number (anonymous: the kiosk)",
           roles=PUBLIC, body=tickets_uc.TicketIn, responses={201: tickets_uc.IssuedTicket},
           errors=(404, 409, 429, 503))
def take_number(body):
    """409 `closed` (paused, outside ticketing hours), `cap_reached`, `range_exhausted`;
    503 `print_failed` when the server's printer failed (the ticket was voided).
    A registered kiosk sends `X-Kiosk-Key: <its key>`; anybody else is limited per
    address (SIGNAGE_ANONYMOUS_TICKETS; 429 with Retry-After)."""
    key = request.headers.get("X-Kiosk-Key") or None
    printer = parse_spec(lobby().settings.escpos)
    if key is None:
        _limit_anonymous()
    try:
        # The key is checked inside the number's own transaction (one session, not two).
        issued = perform(tickets_uc.issue_ticket, body, printer=printer is not None,
                         kiosk_key=key)
    except tickets_uc.UnknownKiosk:  # unknown or revoked: limited like anybody
        _limit_anonymous()
        issued = perform(tickets_uc.issue_ticket, body, printer=printer is not None)
    issued.update(query(tickets_uc.issued_estimate, issued, lobby().clock.now()))
    if printer is not None and issued["status"] == "printing":
        issued = _print(printer, issued)
    return issued, 201, {"Location": f"{request.script_root}{PREFIX}/tickets/{issued['id']}"}


def _limit_anonymous() -> None:
    wait = lobby().limiter.wait("tickets", request.remote_addr or "?")
    if wait:
        raise TooMany(N_("Máy này đã lấy nhiều số liên tiếp. Xin vui lòng chờ ít phút "
                         "rồi thử lại, hoặc hỏi cán bộ tại quầy."), code="rate_limited",
                      retry_after=wait)


def _print(printer: PrinterSpec, issued: dict[str, Any]) -> dict[str, Any]:
    """Print after commit; on failure void the ticket (kept in history) and say so."""
    clock = lobby().clock
    try:
        print_ticket(printer, issued, office=query(office)["office_name"],
                     issued_local=iso_local(issued["issued_at"], clock.tz),
                     status_url=f"{public_base()}{issued['status_url']}")
    except PrintError as exc:
        perform(tickets_uc.void_ticket, issued["id"], exc.text())
        voided = {"id": issued["id"], "display": issued["display"], "status": "void"}
        raise PrintError(exc.message, extra={"ticket": voided}, **exc.params) from None
    perform(tickets_uc.mark_printed, issued["id"])
    return {**issued, "status": "waiting", "printed": "escpos"}


@operation(bp, "GET", "/tickets/<int:ticket_id>", summary="One ticket (operator)",
           roles=OPERATORS, responses={200: tickets_uc.TicketOut})
def get_ticket(ticket_id: int):
    return query(tickets_uc.get_ticket, ticket_id)


@operation(bp, "GET", "/tickets/status/<token>", roles=PUBLIC,
           summary="A citizen's own ticket, by the token in its QR",
           responses={200: tickets_uc.TicketStatus})
def ticket_status(token: str):
    return query(tickets_uc.ticket_status, token, lobby().clock.now())

