"""Tickets, counters and calls: the queue of the one-stop lobby.

Domain only (no Flask): functions take a SQLAlchemy session and the time, and
return values or raise `QueueError`. Split by idea:

    errors.py     QueueError, the one error users can cause here
    catalog.py    services and counters (what /admin and the API manage)
    numbering.py  office days, the daily reset, issuing numbers atomically
    calling.py    call next, call one, recall, skip, hold, transfer, complete
    waits.py      people ahead and the estimated wait
    views.py      JSON of tickets, the queue state, the screens' queue panel
    announce.py   settings of the spoken call, and the call as tokens and text
    printing.py   the ticket on an ESC/POS printer (optional)
    seed.py       content/queue.yaml on first run
    speech.py     how numbers are read in Vietnamese (pure)
"""

from signage.queueing.errors import QueueError

__all__ = ["QueueError"]
