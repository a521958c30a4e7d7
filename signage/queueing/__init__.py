"""Tickets, counters and calls: the queue of the one-stop lobby.

Domain only (no Flask): functions take a SQLAlchemy session and the time, and
return values or raise the refusals of signage.errors. What a person or a program
asks for (a new service, a ticket, "call next") goes through the use cases in
signage.usecases.queue and signage.usecases.tickets, which validate, check the
role, audit and emit the events, and call these. Split by idea:

    catalog.py    services and counters as stored: reading them, their JSON
    numbering.py  office days, the daily reset, issuing numbers atomically
    calling.py    call next, call one, recall, skip, hold, transfer, complete
    waits.py      people ahead and the estimated wait
    views.py      JSON of tickets, the queue state, the screens' queue panel
    announce.py   settings of the spoken call, and the call as tokens and text
    printing.py   the ticket on an ESC/POS printer (optional)
    seed.py       reading content/queue.yaml (loaded on first run by a use case)
    speech.py     how numbers are read in Vietnamese (pure)
"""
