"""The admin shows what the bureau maintains; background task results have their own pages in
the application (import and recompute jobs) and are left out of it."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
