import sqlite3

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

from . import lookups


class CoreConfig(AppConfig):
    name = "ruraledu.core"
    verbose_name = "基础"

    def ready(self):
        # SQLite's driver binds an int at once but sends every bool (a subclass) through its
        # adapter search, two failed attribute look-ups each: a fifth of the time of a
        # 100,000-row roster insert with ten flags per row. Found here, a bool costs half.
        sqlite3.register_adapter(bool, int)
        # ...and refuses an int past 64 bits: such an id typed into a form matches no row
        lookups.register()
        # Each app's kinds.py declares its yearly data kinds (core.kinds.declare).
        autodiscover_modules("kinds")
