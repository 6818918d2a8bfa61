"""The admin shows what the bureau maintains; background task results have their own pages in
the application (import and recompute jobs), and permission groups are unused (roles are
assigned on units and departments), so both are left out of it."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django_tasks_db.models import DBTaskResult

for model in (DBTaskResult, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
