"""Scoping of progress reports. A report belongs either to a place in the org tree (a school
or a town) or to a department, so the plain path rule of ScopedQuerySet is not enough."""

from django.db import models
from django.db.models import Q

from ruraledu.accounts.choices import ROLE_ACTIONS, Action, Role
from ruraledu.accounts.scoping import scope_paths, user_departments
from ruraledu.audit.permissions import is_root_path


class ProgressReportQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW) -> "ProgressReportQuerySet":
        """Reports `user` may see (`view`) or review (`review`): a role on a unit reaches the
        reports of its subtree; a role on the district root also reaches every department's
        reports; a department reporter reaches its department's reports."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        paths = scope_paths(user, action)
        condition = Q()
        for path in paths:
            condition |= Q(org_unit__path__startswith=path)
        if any(is_root_path(p) for p in paths):
            condition |= Q(department__isnull=False)
        departments = _departments(user, action)
        if departments:
            condition |= Q(department__in=departments)
        return self.filter(condition) if condition else self.none()

    def authored_by(self, user) -> "ProgressReportQuerySet":
        """Reports `user` may write and submit: those of their own department, or of a school
        or town in their change scope. District-wide roles review and never author, and a
        superuser is no exception (the one who reviews a report does not write it)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        condition = Q()
        for path in authoring_paths(user):
            condition |= Q(org_unit__path__startswith=path)
        departments = _departments(user, Action.CHANGE)
        if departments:
            condition |= Q(department__in=departments)
        return self.filter(condition) if condition else self.none()


def _departments(user, action: str) -> list:
    if action not in ROLE_ACTIONS[Role.DEPARTMENT_REPORTER]:
        return []
    return [d.pk for d in user_departments(user)]


def authoring_paths(user) -> list[str]:
    """Change-scope paths below the district root (towns, schools)."""
    return [p for p in scope_paths(user, Action.CHANGE) if not is_root_path(p)]
