"""Which indicator codes a plan's targets may name. Plans is plan-as-data and does not import
the indicator engine; the indicators app registers its catalogue here when it starts."""

from collections.abc import Callable

_provider: Callable[[], set[str]] | None = None


def register_indicator_catalogue(provider: Callable[[], set[str]]) -> None:
    global _provider
    _provider = provider


def known_indicator_codes() -> set[str] | None:
    """The codes targets may name, or None when no catalogue is registered (nothing to check)."""
    return _provider() if _provider is not None else None
