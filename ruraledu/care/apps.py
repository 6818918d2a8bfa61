from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "ruraledu.care"
    verbose_name = "关爱个案"

    def ready(self):
        from ruraledu.students.signals import transfer_confirmed

        from .services.growth import growth_file_transfer_notice

        transfer_confirmed.connect(growth_file_transfer_notice, dispatch_uid="care_growth_transfer")
