"""Scoping of progress reports. A report belongs either to a place in the org tree (a school
or a town) or to a department, so the plain path rule of ScopedQuerySet is not enough.

A draft is the reporter's work in progress: it is seen only by those who may write it and by
those who review it, never by the rest of the view scope (leaders, inspectors, other units).
Every read for a user goes through `for_user`, so this holds on every page that shows report
content (detail, evidence, project history, milestone list)."""

from django.db import models
from django.db.models import Q

from ruraledu.accounts.choices import ROLE_ACTIONS, Action, Role
from ruraledu.accounts.policy import is_root_path
from ruraledu.accounts.scoping import bureau_units, scope_paths, user_departments

from .choices import ReportEventKind, ReportStatus


def _usable(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class ProgressReportQuerySet(models.QuerySet):
    def for_user(self, user, action: str = Action.VIEW) -> "ProgressReportQuerySet":
        """Reports `user` may see (`view`) or review (`review`): a role on a unit reaches the
        reports of its subtree and of the departments its district (or city) owns; a role on
        the root also reaches the departments without an owner; a department reporter reaches its department's reports. Drafts are seen only
        by their authors (see `authored_by`) and their reviewers."""
        if not _usable(user):
            return self.none()
        if user.is_superuser:
            return self
        condition = _scope_condition(user, action)
        if condition is None:
            return self.none()
        if action == Action.VIEW:
            drafts_readable = _combine(
                ~Q(status=ReportStatus.DRAFT),
                _author_condition(user),
                _scope_condition(user, Action.REVIEW),
            )
            condition &= drafts_readable
        return self.filter(condition)

    def with_first_submission(self) -> "ProgressReportQuerySet":
        """Each report's first 提交 in the same query (`ProgressReport.handed_in_late`)."""
        return self.annotate(
            first_submitted_at=models.Min(
                "events__at", filter=Q(events__kind=ReportEventKind.SUBMITTED)
            )
        )

    def authored_by(self, user) -> "ProgressReportQuerySet":
        """Reports `user` may write and submit: those of their own department, or of a school
        or town in their change scope. District-wide roles review and never author, and a
        superuser is no exception (the one who reviews a report does not write it)."""
        if not _usable(user):
            return self.none()
        condition = _author_condition(user)
        return self.filter(condition) if condition is not None else self.none()


def _combine(*conditions: Q | None) -> Q | None:
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    combined = present[0]
    for condition in present[1:]:
        combined |= condition
    return combined


def _scope_condition(user, action: str) -> Q | None:
    paths = scope_paths(user, action)
    parts = [Q(org_unit__path__startswith=path) for path in paths]
    # a department belongs to the district (or city) whose plan names it; one without an
    # owner to the install's root (a single-district install's departments)
    parts += [Q(department__org_unit__path__startswith=path) for path in paths]
    if any(is_root_path(p) for p in paths):
        parts.append(Q(department__isnull=False, department__org_unit__isnull=True))
    departments = _departments(user, action)
    if departments:
        parts.append(Q(department__in=departments))
    return _combine(*parts)


def _author_condition(user) -> Q | None:
    parts = [Q(org_unit__path__startswith=path) for path in authoring_paths(user)]
    departments = _departments(user, Action.CHANGE)
    if departments:
        parts.append(Q(department__in=departments))
    return _combine(*parts)


def _departments(user, action: str) -> list:
    if action not in ROLE_ACTIONS[Role.DEPARTMENT_REPORTER]:
        return []
    return [d.pk for d in user_departments(user)]


def authoring_paths(user) -> list[str]:
    """Change-scope paths below the bureaus (towns, schools): a role on a district, city or
    province unit reviews, wherever that unit sits in the tree."""
    bureaus = {unit.path for unit in bureau_units(user, Action.CHANGE)}
    return [p for p in scope_paths(user, Action.CHANGE) if p not in bureaus]
