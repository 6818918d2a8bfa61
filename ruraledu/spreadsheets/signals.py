"""Sent after an import wrote data, so that derived figures (indicator values) are refreshed."""

from django.dispatch import Signal

# kwargs: kind, year, user, result
import_committed = Signal()
