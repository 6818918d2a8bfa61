from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "ruraledu.supervision"
    verbose_name = "督导"

    def ready(self):
        from ruraledu.core.signals import school_year_started

        from .services.zones import assignments_end_past, researcher_roles_follow_links

        school_year_started.connect(
            assignments_end_past, dispatch_uid="supervision_assignments_end_past"
        )
        school_year_started.connect(
            researcher_roles_follow_links, dispatch_uid="supervision_researcher_roles"
        )
