from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "ruraledu.spreadsheets"
    verbose_name = "Excel 导入导出"
