from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "ruraledu.care"
    verbose_name = "关爱个案"

    def ready(self):
        from ruraledu.students.signals import transfer_confirmed

        from .services.escalation import case_transfer_notice
        from .services.growth import growth_file_transfer_notice

        transfer_confirmed.connect(growth_file_transfer_notice, dispatch_uid="care_growth_transfer")
        transfer_confirmed.connect(case_transfer_notice, dispatch_uid="care_case_transfer")
