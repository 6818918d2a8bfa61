"""Which indicator codes a plan's targets may name. Plans is plan-as-data and does not import
the indicator engine; the indicators app registers its catalogue (and its standards table's
keeper, for a plan file's `standards:` section) here when it starts."""

from collections.abc import Callable

_provider: Callable[[], set[str]] | None = None


def register_indicator_catalogue(provider: Callable[[], set[str]]) -> None:
    global _provider
    _provider = provider


def known_indicator_codes() -> set[str] | None:
    """The codes targets may name, or None when no catalogue is registered (nothing to check)."""
    return _provider() if _provider is not None else None


_standards: tuple[Callable[[], set[tuple[str, str]]], Callable] | None = None


def register_standards(known: Callable[[], set[tuple[str, str]]], load: Callable) -> None:
    """`known()`: the (code, stage) pairs a plan file may set; `load(entries, unit, label)`:
    writes them as the unit's values where it has none yet, returns how many were written."""
    global _standards
    _standards = (known, load)


def known_standards() -> set[tuple[str, str]] | None:
    return _standards[0]() if _standards is not None else None


def load_standards(entries: list[dict], unit, label: str) -> int:
    return _standards[1](entries, unit, label) if _standards is not None and entries else 0
