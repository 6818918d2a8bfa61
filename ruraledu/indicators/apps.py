from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ruraledu.indicators"
    verbose_name = "指标与目标"

    def ready(self):
        from ruraledu.plans.catalogue import register_indicator_catalogue, register_standards
        from ruraledu.spreadsheets.signals import import_committed

        from . import changes, definitions  # noqa: F401  (registers every indicator)
        from .engine import PENDING, REGISTRY
        from .jobs import recompute_after_import

        # a plan's targets may name what is computed, or what is declared and awaiting its data
        register_indicator_catalogue(lambda: set(REGISTRY) | set(PENDING))
        register_standards(_standard_keys, _standards_load)

        # derived values are refreshed after each import: the one use of a signal here
        import_committed.connect(recompute_after_import, dispatch_uid="recompute_after_import")
        # every write to registry data is recorded, for the incremental recompute
        changes.connect()


def _standard_keys() -> set[tuple[str, str]]:
    from .standards import DEFAULTS

    return {(d[0], d[1]) for d in DEFAULTS}


def _standards_load(entries, unit, label) -> int:
    from .standards_edit import standards_load

    return standards_load(entries, unit, label)
