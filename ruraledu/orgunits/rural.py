"""The single rule for "乡村学校" (PLAN_TARGETS.md): 镇区 (121/122/123) or 乡村 (210/220).

Districts read the rule differently, so the codes come from settings (RURAL_URBAN_RURAL_CODES).
Every other module asks this one.
"""

from django.conf import settings
from django.db.models import Q

DEFAULT_RURAL_CODES = ("121", "122", "123", "210", "220")


def rural_codes() -> tuple[str, ...]:
    return tuple(getattr(settings, "RURAL_URBAN_RURAL_CODES", DEFAULT_RURAL_CODES))


def is_rural(urban_rural_code: str | None) -> bool:
    return bool(urban_rural_code) and urban_rural_code in rural_codes()


def rural_q(prefix: str = "") -> Q:
    """Filter for rural schools; `prefix` is the lookup path to a School (e.g. "school__")."""
    return Q(**{f"{prefix}urban_rural_code__in": rural_codes()})
