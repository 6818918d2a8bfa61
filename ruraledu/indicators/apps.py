from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ruraledu.indicators"
    verbose_name = "指标与目标"

    def ready(self):
        from ruraledu.spreadsheets.signals import import_committed

        from . import definitions  # noqa: F401  (registers every indicator)
        from .jobs import recompute_after_import

        # derived values are refreshed after each import: the one use of a signal here
        import_committed.connect(recompute_after_import, dispatch_uid="recompute_after_import")
