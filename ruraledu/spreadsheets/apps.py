from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SpreadsheetsConfig(AppConfig):
    name = "ruraledu.spreadsheets"
    verbose_name = "Excel 导入导出"

    def ready(self) -> None:
        # Each app's imports.py registers its importers with @register.
        autodiscover_modules("imports")
