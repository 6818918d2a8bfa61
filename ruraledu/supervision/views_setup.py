"""The bureau's supervision set-up pages: zones, kinds of visit and their checklists. Every
page answers 404 to anyone but the bureau; each POST calls one service."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from ruraledu.core.params import int_param
from ruraledu.core.views import StepRefused, labelled
from ruraledu.orgunits.choices import TOWN_LEVEL_KINDS
from ruraledu.orgunits.models import OrgUnit, School

from . import services
from .models import Checklist, VisitKind, Zone
from .permissions import may_configure


class BureauOnlyMixin(LoginRequiredMixin):
    """The set-up pages exist only for the bureau: anyone else gets 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_configure(request.user):
            raise Http404("没有找到该页面。")
        return super().dispatch(request, *args, **kwargs)


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _count(data, field: str) -> int:
    """A whole number typed for a kind's field, blank as 0; anything else ("0.5", "abc") is
    refused, not read as 0."""
    text = data.get(field, "").strip()
    number = int_param(text) if text else 0
    if number is None:
        label = VisitKind._meta.get_field(field).verbose_name
        raise ValidationError(f"{label}：请填写 0 或正整数（“{text[:20]}”不是整数）。")
    return number


class SetupView(BureauOnlyMixin, View):
    """The bureau's overview: zones, kinds with their checklist versions, links onward."""

    def get(self, request):
        return render(
            request,
            "supervision/setup.html",
            {
                "zones": Zone.objects.select_related("town").annotate(n=Count("schools")),
                "kinds": VisitKind.objects.prefetch_related("checklists"),
            },
        )


def _schools_by_town():
    schools = School.objects.select_related("org_unit__parent").order_by(
        "org_unit__parent__code", "org_unit__code"
    )
    groups: dict = {}
    for school in schools:
        groups.setdefault(school.org_unit.parent, []).append(school)
    return list(groups.items())


class ZoneEditView(BureauOnlyMixin, View):
    """A 督导责任区: name, town and its schools (ticked by town)."""

    def _zone(self, pk):
        return get_object_or_404(Zone, pk=pk) if pk else None

    def get(self, request, pk=None):
        return self.show(request, self._zone(pk))

    @staticmethod
    def show(request, zone, refused: StepRefused | None = None):
        """The form with the stored zone, or after a refused save with what was ticked."""
        if refused:
            name, town_id = refused.typed.get("name", ""), _int(refused.typed.get("town"))
            chosen = {_int(pk) for pk in refused.typed.getlist("schools")}
        else:
            name, town_id = (zone.name, zone.town_id) if zone else ("", None)
            chosen = set(zone.schools.values_list("pk", flat=True)) if zone else set()
        return render(
            request,
            "supervision/zone_form.html",
            {
                "zone": zone,
                "name": name,
                "town_id": town_id,
                "chosen": chosen,
                "towns": OrgUnit.objects.filter(kind__in=TOWN_LEVEL_KINDS).order_by("code"),
                "groups": _schools_by_town(),
                "refused": refused,
            },
            status=400 if refused else 200,
        )

    def post(self, request, pk=None):
        zone = self._zone(pk)
        town = OrgUnit.objects.filter(pk=_int(request.POST.get("town"))).first()
        schools = School.objects.filter(pk__in=map(int_param, request.POST.getlist("schools")))
        try:
            saved = services.zone_save(
                actor=request.user,
                name=request.POST.get("name", ""),
                schools=list(schools),
                town=town,
                zone=zone,
            )
        except (ValidationError, PermissionDenied) as exc:
            refused = StepRefused.of("zone", labelled(exc, Zone), request.POST)
            return self.show(request, self._zone(pk), refused)
        messages.success(request, f"已保存督导责任区“{saved.name}”。")
        return redirect("supervision:setup")


class KindEditView(BureauOnlyMixin, View):
    """A kind of visit and how often each school should get one."""

    def get(self, request, pk=None):
        return self.show(request, get_object_or_404(VisitKind, pk=pk) if pk else None)

    @staticmethod
    def show(request, kind, refused: StepRefused | None = None):
        """The form with the stored kind, or after a refused save with what was typed."""
        fields = ("name", "visits_per_month", "order")
        if refused:
            values = {f: refused.typed.get(f, "") for f in fields}
        else:
            stored = kind or VisitKind()  # a new kind starts at the model's defaults
            values = {f: getattr(stored, f) for f in fields}
        return render(
            request,
            "supervision/kind_form.html",
            {"kind": kind, "values": values, "refused": refused},
            status=400 if refused else 200,
        )

    def post(self, request, pk=None):
        kind = get_object_or_404(VisitKind, pk=pk) if pk else None
        try:
            saved = services.visit_kind_save(
                actor=request.user,
                kind=kind,
                name=request.POST.get("name", ""),
                visits_per_month=_count(request.POST, "visits_per_month"),
                order=_count(request.POST, "order"),
            )
        except (ValidationError, PermissionDenied) as exc:
            refused = StepRefused.of("kind", labelled(exc, VisitKind), request.POST)
            # the stored kind, not the instance the refused save changed
            kind = get_object_or_404(VisitKind, pk=pk) if pk else None
            return self.show(request, kind, refused)
        messages.success(request, f"已保存督导类型“{saved.name}”。")
        return redirect("supervision:setup")


def _lines(checklist: Checklist) -> str:
    return "\n".join(f"{i.area}：{i.text}" for i in checklist.items.all())


class ChecklistEditView(BureauOnlyMixin, View):
    """A checklist version: a draft is edited and published; a published or retired one is
    shown read-only and can be revised into a new draft version."""

    def get(self, request, pk=None):
        return self.show(request, pk)

    @staticmethod
    def show(request, pk=None, refused: StepRefused | None = None):
        """The checklist; after a refused draft, with what was typed."""
        if pk:
            checklist = get_object_or_404(Checklist.objects.select_related("kind"), pk=pk)
            kind, title, lines = checklist.kind, checklist.title, _lines(checklist)
        else:
            checklist = None
            kind = get_object_or_404(VisitKind, pk=_int(request.GET.get("kind")))
            base = Checklist.objects.filter(pk=_int(request.GET.get("from"))).first()
            title = base.title if base else f"{kind.name}检查表"
            lines = _lines(base) if base else ""
        if refused and refused.step == "draft":
            title, lines = refused.typed.get("title", ""), refused.typed.get("lines", "")
        if refused:
            refused.unless_shown(request, not (checklist and checklist.is_frozen))
        return render(
            request,
            "supervision/checklist_form.html",
            {
                "checklist": checklist,
                "kind": kind,
                "title": title,
                "lines": lines,
                "versions": kind.checklists.all(),
                "refused": refused,
            },
            status=400 if refused else 200,
        )

    def post(self, request, pk=None):
        checklist = get_object_or_404(Checklist, pk=pk) if pk else None
        kind = (
            checklist.kind
            if checklist
            else get_object_or_404(VisitKind, pk=_int(request.GET.get("kind")))
        )
        step = "publish" if request.POST.get("step") == "publish" and checklist else "draft"
        try:
            if step == "publish":
                services.checklist_publish(actor=request.user, checklist=checklist)
                messages.success(request, f"已发布{checklist}，此后的{kind.name}使用该版本。")
                return redirect("supervision:checklist_edit", pk=checklist.pk)
            checklist = services.checklist_draft_save(
                actor=request.user,
                kind=kind,
                title=request.POST.get("title", ""),
                lines=request.POST.get("lines", ""),
                checklist=checklist,
            )
        except (ValidationError, PermissionDenied) as exc:
            refused = StepRefused.of(step, labelled(exc, Checklist), request.POST)
            return self.show(request, pk, refused)
        messages.success(request, f"已保存草稿：{checklist}。")
        return redirect("supervision:checklist_edit", pk=checklist.pk)
