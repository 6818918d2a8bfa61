"""Seed the holiday table from the chinese-calendar package (every year it knows). From
then on the table is the source of truth; `manage.py seed_holidays` adds new package years."""

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def seed(apps, schema_editor):
    try:
        from chinese_calendar.constants import holidays, workdays
    except ImportError:
        return
    CalendarDay = apps.get_model("reporting", "CalendarDay")
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    rows = [
        CalendarDay(date=day, kind=kind, name=NAMES.get(name, name or ""), source="package")
        for days, kind in ((holidays, "holiday"), (workdays, "workday"))
        for day, name in sorted(days.items())
        if day not in existing
    ]
    CalendarDay.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
