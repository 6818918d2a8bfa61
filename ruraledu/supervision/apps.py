from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "ruraledu.supervision"
    verbose_name = "督导"

    def ready(self):
        from ruraledu.core.signals import school_year_started

        from .services.year_start import year_start_act

        school_year_started.connect(year_start_act, dispatch_uid="supervision_year_start")
