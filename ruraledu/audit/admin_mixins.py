"""Changes made in the Django admin leave the same audit rows as changes made on the pages:
who, when, from where, and each record's values before and after."""

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import models, router, transaction

from .choices import AuditAction
from .services import AuditEntry, audit_bulk, snapshot
from .utils import request_address

# Per-request state (a ModelAdmin instance is shared by every request).
_BEFORE = "_audit_admin_before"
_INLINE = "_audit_admin_inline_entries"


class AuditedAdminMixin:
    """For a ModelAdmin of official data: every add, change and delete (inline rows and
    records deleted along with the object included) is appended to the audit trail in the
    admin's own transaction."""

    # fields never copied into the trail (e.g. a password hash)
    audit_exclude: tuple[str, ...] = ()

    def audit_values(self, obj: models.Model) -> dict:
        values = snapshot(obj)
        if obj.pk is not None:
            for field in obj._meta.many_to_many:
                values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
        return self._without_excluded(values)

    def _without_excluded(self, values: dict) -> dict:
        return {k: v for k, v in values.items() if k not in self.audit_exclude}

    def _write(self, request, entries: list[AuditEntry], summary: str) -> None:
        entries = [e for e in entries if e.action != AuditAction.UPDATE or e.before != e.after]
        if entries:
            audit_bulk(
                actor=request.user,
                entries=entries,
                summary=summary,
                address=request_address(request),
            )

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = self.audit_values(stored) if stored is not None else {}
        setattr(request, _BEFORE, before)
        setattr(request, _INLINE, [])
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        model = formset.model
        stored_pks = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        stored = {o.pk: snapshot(o) for o in model._default_manager.filter(pk__in=stored_pks)}
        deleted = {id(f.instance): f.instance.pk for f in formset.deleted_forms if f.instance.pk}
        super().save_formset(request, form, formset, change)
        entries = getattr(request, _INLINE, [])
        entries += [AuditEntry.of(o, AuditAction.CREATE) for o in formset.new_objects]
        entries += [
            AuditEntry.of(o, AuditAction.UPDATE, before=stored.get(o.pk, {}))
            for o, _fields in formset.changed_objects
        ]
        entries += [
            AuditEntry(
                model=model,
                object_id=deleted[id(o)],
                action=AuditAction.DELETE,
                object_repr=str(o),
                before=stored.get(deleted[id(o)], {}),
            )
            for o in formset.deleted_objects
            if id(o) in deleted
        ]
        setattr(request, _INLINE, entries)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        action = AuditAction.UPDATE if change else AuditAction.CREATE
        entry = AuditEntry.of(
            obj, action, before=getattr(request, _BEFORE, {}), after=self.audit_values(obj)
        )
        verb = "修改" if change else "新增"
        self._write(request, [entry, *getattr(request, _INLINE, [])], f"在管理后台{verb}")

    def _deletion_entries(self, objs) -> list[AuditEntry]:
        """Each object and every record deleted along with it (cascades)."""
        objs = list(objs)
        if not objs:
            return []
        collector = NestedObjects(using=router.db_for_write(type(objs[0])))
        collector.collect(objs)
        entries = []
        for model, instances in collector.data.items():
            if model._meta.auto_created:  # many-to-many link rows: kept in the parents' values
                continue
            for instance in instances:
                before = self._without_excluded(snapshot(instance))
                entries.append(AuditEntry.of(instance, AuditAction.DELETE, before=before, after={}))
        return entries

    def delete_model(self, request, obj):
        entries = self._deletion_entries([obj])
        super().delete_model(request, obj)
        self._write(request, entries, f"在管理后台删除“{obj}”（含随之删除的记录）")

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            entries = self._deletion_entries(queryset)
            super().delete_queryset(request, queryset)
            self._write(request, entries, "在管理后台批量删除（含随之删除的记录）")


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A ModelAdmin whose every change is audited."""
