"""A throwaway app for tests: one yearly data kind, declared the way a registry app declares
its kinds, and touching no other app. Its table exists only while a test asks for it."""

import contextlib

from django.db import connection, models

from ruraledu.core.kinds import Tab, YearlyKind, declare, withdraw


class ThrowawayRecord(models.Model):
    school = models.ForeignKey("orgunits.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=20)

    class Meta:
        app_label = "throwaway"  # not an installed app: no migration, no admin, no flush
        verbose_name = "试用记录"

    def __str__(self) -> str:
        return self.note


KIND = YearlyKind(
    "throwaway.records",
    ThrowawayRecord,
    ("school",),
    rolls_forward=True,
    transform={"note": "'已结转'"},
    tab=Tab("throwaway", "试用记录", "orgunits:unit_detail", order=99),
)


@contextlib.contextmanager
def throwaway_kind():
    """The kind declared and its table created, for the length of the block."""
    with connection.schema_editor() as editor:
        editor.create_model(ThrowawayRecord)
    declare(KIND)
    try:
        yield KIND
    finally:
        withdraw(KIND.key)
        with connection.schema_editor() as editor:
            editor.delete_model(ThrowawayRecord)
