"""Tickets, counters and calls: the queue of the one-stop lobby."""
