"""The append-only audit trail of changes to official data."""

import datetime as dt
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.functional import cached_property

from ruraledu.core import crypto

from .choices import AuditAction

IMMUTABLE_MESSAGE = "审计记录只能追加，不能修改或删除。"


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit row through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes; PostgreSQL also refuses them with a trigger."""

    def update(self, **kwargs):
        raise AuditImmutableError(IMMUTABLE_MESSAGE)

    def delete(self):
        raise AuditImmutableError(IMMUTABLE_MESSAGE)

    def _raw_delete(self, using):
        raise AuditImmutableError(IMMUTABLE_MESSAGE)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditImmutableError(IMMUTABLE_MESSAGE)

    def bulk_create(self, objs, *args, **kwargs):
        """Chained like single rows (see chain.py); conflicts may not be skipped (a skipped
        row would leave a gap in the chain)."""
        from . import chain

        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise AuditImmutableError(IMMUTABLE_MESSAGE)
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            chain.seal(objs, model=self.model, using=self.db)
            return super().bulk_create(objs, *args, **kwargs)

    def for_record(self, *, content_type: ContentType, object_id: str) -> "AuditEventQuerySet":
        return self.filter(content_type=content_type, object_id=str(object_id))


class AuditEvent(models.Model):
    """One change to one record: who, when, from which address, what it was and what it became.

    Rows are only ever inserted. `before` and `after` hold the changed fields only (all fields
    for a creation or a deletion). `batch` groups the rows written by one import.
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True, default="")
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    action = models.CharField("操作", max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="记录类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField("记录编号", max_length=64, blank=True, default="")
    object_repr = models.CharField("记录", max_length=200, blank=True, default="")
    summary = models.CharField("说明", max_length=500, blank=True, default="")
    before = models.JSONField("修改前", default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("修改后", default=dict, blank=True, encoder=DjangoJSONEncoder)
    batch = models.UUIDField("批次", null=True, blank=True, db_index=True)
    # the hash chain (chain.py): the previous row's hash and this row's own
    prev_hash = models.CharField(
        "前一条哈希", max_length=64, default="", blank=True, editable=False
    )
    row_hash = models.CharField("本条哈希", max_length=64, default="", blank=True, editable=False)
    # the payload's salted hash (the chain covers it); the salt goes when the payload is redacted
    payload_hash = models.CharField(
        "内容哈希", max_length=64, default="", blank=True, editable=False
    )
    payload_salt = models.CharField(
        "内容盐值", max_length=32, default="", blank=True, editable=False
    )
    # the row's hash under the first formula, for rows written before the payload hash existed
    legacy_hash = models.CharField(
        "升级前哈希", max_length=64, default="", blank=True, editable=False
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="audit_record_time"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        from . import chain

        if not self._state.adding:
            raise AuditImmutableError(IMMUTABLE_MESSAGE)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            chain.seal([self], model=type(self), using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError(IMMUTABLE_MESSAGE)

    @property
    def is_redacted(self) -> bool:
        """The payload was erased through the redaction path (redaction.py)."""
        return bool(self.pk) and not self.payload_salt

    @cached_property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for display, in a stable order: a field of the record's
        model by its Chinese name, a choice by its label, a user by name, a time in local
        time, JSON the model summarises in `audit_summaries` by that summary; other keys as
        written."""
        keys, names, summaries = self._display()
        known = self.__dict__.get("_names")  # set for a whole page by name_stored_ids
        found = known if known is not None else _names_of(self._stored_ids())
        shown = []
        for key in keys:
            label, choices, kind = names.get(key, (key, {}, ""))
            before, after = self.before.get(key), self.after.get(key)
            if key in summaries:  # JSON a model keeps, read as the model says
                before, after = (_summary(summaries[key], v) for v in (before, after))
            elif kind in NAMED:
                before, after = (found[kind].get(v, v) for v in (before, after))
            elif kind == MOMENT:
                before, after = (_local_time(v) for v in (before, after))
            shown.append((label, _choice(choices, before), _choice(choices, after)))
        return shown

    def _display(self):
        """The keys shown, in order, how each reads (`_display_names`) and the model's JSON
        summaries."""
        keys = list(dict.fromkeys([*self.before.keys(), *self.after.keys()]))
        model = None
        if self.content_type_id is not None:
            model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        names = _display_names(model) if model is not None else {}
        return keys, names, getattr(model, "audit_summaries", {})

    def _stored_ids(self) -> dict[str, set]:
        """The ids this entry stores of users and units, by kind, as `changes` names them."""
        keys, names, _ = self._display()
        wanted = {kind: set() for kind in NAMED}
        for key in keys:
            kind = names.get(key, ("", {}, ""))[2]
            if kind in wanted:
                wanted[kind].update(
                    v for v in (self.before.get(key), self.after.get(key)) if type(v) is int
                )
        return wanted


def name_stored_ids(events) -> list:
    """Read the names of every user and unit a page of entries stores, once for the page (one
    query per kind named), so that showing their changes adds no query per entry."""
    events = list(events)
    wanted = {kind: set() for kind in NAMED}
    for event in events:
        for kind, ids in event._stored_ids().items():
            wanted[kind] |= ids
    found = _names_of(wanted)
    for event in events:
        event._names = found
    return events


USER, MOMENT = "user", "datetime"  # field kinds whose stored value is not for people
# units named in the trail by name and code instead of their id (they hold no personal data)
UNITS = {"orgunits.orgunit": "", "orgunits.school": "org_unit__"}
# staff (a pupil's 成长导师) by name and masked ID number, as the staff lists show them
STAFF = "workforce.staffperson"
NAMED = (USER, STAFF, *UNITS)  # kinds whose stored ids the trail shows by name


def _names_of(wanted: dict[str, set]) -> dict[str, dict[int, str]]:
    """Kind -> {id: name} for the wanted ids; a kind with none wanted costs no query."""
    return {
        kind: _user_names(ids)
        if kind == USER
        else _staff_names(ids)
        if kind == STAFF
        else _unit_names(kind, ids)
        for kind, ids in wanted.items()
    }


@cache
def _display_names(model) -> dict[str, tuple[str, dict[str, str], str]]:
    """Key -> (Chinese name, choice labels, kind) for a model's concrete fields, by name and by
    column attribute (`school` and `school_id`), and for the keys it names in `audit_labels`."""
    names = {key: (label, {}, "") for key, label in getattr(model, "audit_labels", {}).items()}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for field in model._meta.concrete_fields:
        choices = {str(value): str(label) for value, label in field.flatchoices}
        kind = ""
        if field.is_relation and field.related_model is user_model:
            kind = USER
        elif field.is_relation and field.related_model._meta.label_lower in (STAFF, *UNITS):
            kind = field.related_model._meta.label_lower
        elif isinstance(field, models.DateTimeField):
            kind = MOMENT
        names[field.name] = names[field.attname] = (str(field.verbose_name), choices, kind)
    return names


def _user_names(pks) -> dict[int, str]:
    """Stored user ids -> the users' names, in one query (none when no user is named)."""
    wanted = {pk for pk in pks if type(pk) is int}
    if not wanted:
        return {}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return {user.pk: str(user) for user in user_model._default_manager.filter(pk__in=wanted)}


def _unit_names(label: str, pks) -> dict[int, str]:
    """Stored org unit or school ids -> "name（code）", in one query."""
    wanted = {pk for pk in pks if type(pk) is int}
    if not wanted:
        return {}
    prefix = UNITS[label]
    rows = apps.get_model(label)._default_manager.filter(pk__in=wanted)
    return {
        pk: f"{name}（{code}）"
        for pk, name, code in rows.values_list("pk", f"{prefix}name", f"{prefix}code")
    }


def _staff_names(pks) -> dict[int, str]:
    """Stored staff ids -> "name（masked ID number）", in one query."""
    wanted = {pk for pk in pks if type(pk) is int}
    if not wanted:
        return {}
    rows = apps.get_model(STAFF)._default_manager.filter(pk__in=wanted)
    return {
        pk: f"{name}（{crypto.masked(hint)}）"
        for pk, name, hint in rows.values_list("pk", "name", "id_hint")
    }


def _local_time(value):
    """An ISO time as stored (UTC) in local time, as the trail's own time column reads."""
    if not isinstance(value, str):
        return value
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def _summary(summarise, value):
    if value in (None, "", {}, []):
        return value
    try:
        return summarise(value)
    except (AttributeError, KeyError, TypeError, ValueError):
        return value  # a row written before the summary's shape: shown as written


def _choice(choices: dict[str, str], value):
    return choices.get(str(value), value) if value not in (None, "") else value


class CspReport(models.Model):
    """A content-security-policy violation a browser reported, counted once per kind: the same
    page, directive, blocked resource and source line add to `count`. Addresses are stripped of
    their query strings (they can carry search text) and the reporter's address is not kept."""

    fingerprint = models.CharField("特征", max_length=64, unique=True, editable=False)
    document = models.CharField("页面", max_length=300)
    directive = models.CharField("违反的指令", max_length=100)
    blocked = models.CharField("被拦截的内容", max_length=300, blank=True, default="")
    source = models.CharField("来源文件", max_length=300, blank=True, default="")
    line = models.PositiveIntegerField("行号", null=True, blank=True)
    sample = models.CharField("代码片段", max_length=100, blank=True, default="")
    disposition = models.CharField("处置", max_length=10, blank=True, default="")
    count = models.PositiveIntegerField("次数", default=1)
    first_seen = models.DateTimeField("首次报告", auto_now_add=True)
    last_seen = models.DateTimeField("最近报告", db_index=True)

    class Meta:
        verbose_name = "内容安全策略违规报告"
        verbose_name_plural = "内容安全策略违规报告"
        ordering = ["-last_seen", "-pk"]

    def __str__(self) -> str:
        return f"{self.directive} {self.blocked or 'inline'} @ {self.document}"
