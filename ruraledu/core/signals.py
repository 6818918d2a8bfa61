"""Sent by `rollforward.school_year_start` inside its transaction, once the new year is
current: apps whose records last one school year close the earlier years' ones."""

from django.dispatch import Signal

# kwargs: year, actor (None when started by a command)
school_year_started = Signal()
