"""Aid pages: the gap list (counts for every role in scope, names for care roles, each read of
a name logged), its Excel export, the rules, the publicity lists and their public link."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from ruraledu.accounts.choices import Action
from ruraledu.accounts.scoping import can
from ruraledu.audit.utils import request_address
from ruraledu.care.views import log_subject_reads
from ruraledu.core.schoolyear import school_year_label, year_from_request
from ruraledu.core.views import add_refusal
from ruraledu.spreadsheets.export import xlsx_response

from . import selectors, services
from .choices import AidStage, GapKind, Semester
from .exports import gap_workbook
from .forms import PublishForm
from .models import AidCategory, AidGrant, AidKind, AidPublicity
from .rules import FLAG_SOURCES

SHOWN = 300  # rows of each list on the page; the export holds them all


def _params(request) -> tuple[int, int, int | None]:
    year = year_from_request(request)
    semester = request.GET.get("semester", "")
    if semester not in ("1", "2"):
        latest = AidGrant.objects.filter(year=year).order_by("-semester").first()
        semester = str(latest.semester) if latest else "1"
    unit = request.GET.get("unit", "")
    return year, int(semester), int(unit) if unit.isdecimal() else None


def _subjects(lists) -> set[str]:
    return {
        f"students.studentperson:{row.person_id}"
        for rows in lists.values()
        for row in rows
        if row.clear
    }


class GapListView(LoginRequiredMixin, View):
    """应助尽助: per school the children who qualify and got nothing this term, aid paid to
    children who no longer qualify, and aid paid twice."""

    def get(self, request):
        user = request.user
        if not can(user, Action.VIEW):
            raise Http404("没有找到该页面。")
        year, semester, unit = _params(request)
        counts = selectors.gap_counts(user=user, year=year, semester=semester, unit_id=unit)
        lists = None
        if can(user, Action.CARE):
            lists = selectors.gap_rows(
                user=user, year=year, semester=semester, unit_id=unit, limit=SHOWN
            )
            log_subject_reads(request, sorted(_subjects(lists)), "aid_gap_list")
        totals = {k: sum(c[k] for c in counts) for k in GapKind.values}
        return render(
            request,
            "aid/gap_list.html",
            {
                "year": year,
                "year_label": school_year_label(year),
                "semester": semester,
                "semesters": Semester.choices,
                "unit": unit or "",
                "counts": counts,
                "totals": totals,
                "lists": lists,
                "labels": dict(GapKind.choices),
                "shown": SHOWN,
                "may_export": can(user, Action.VIEW_PERSONAL),
                "works_cases": can(user, Action.CARE),
            },
        )


class GapExportView(LoginRequiredMixin, View):
    """The lists with names as Excel: refused to roles that may not see names; only the
    schools where the user holds personal-data rights; logged per child and per export."""

    def get(self, request):
        user = request.user
        if not can(user, Action.VIEW_PERSONAL) or not can(user, Action.CARE):
            raise Http404("您无权导出含学生姓名的名单。")
        year, semester, unit = _params(request)
        lists = selectors.gap_rows(user=user, year=year, semester=semester, unit_id=unit)
        lists = {kind: [r for r in rows if r.clear] for kind, rows in lists.items()}
        subjects = [f"export:aid_gaps:{year}-{semester}:{unit or '全部'}"]
        log_subject_reads(request, [*subjects, *sorted(_subjects(lists))], "export")
        title = f"{school_year_label(year)}第{semester}学期资助缺口名单"
        return xlsx_response(title, gap_workbook(lists, user=user, title=title))


class RulesView(LoginRequiredMixin, View):
    """The eligibility rules as the 资助中心 set them; the bureau edits them in the admin
    (every change audited)."""

    def get(self, request):
        kinds = AidKind.objects.prefetch_related("categories", "amounts").order_by("order", "pk")
        stages = AidStage.choices
        table = []
        for kind in kinds:
            amounts = {a.stage: a.per_term for a in kind.amounts.all()}
            table.append((kind, [amounts.get(stage) for stage, _ in stages]))
        return render(
            request,
            "aid/rules.html",
            {
                "categories": [(c, FLAG_SOURCES[c.flag]) for c in AidCategory.objects.all()],
                "table": table,
                "stages": stages,
                "may_edit": request.user.has_perm("aid.change_aidkind"),
            },
        )


class PublicityView(LoginRequiredMixin, View):
    """A school's publicity lists and the form that publishes one (care roles)."""

    def _page(self, request, form, year):
        return render(
            request,
            "aid/publicity.html",
            {
                "form": form,
                "year": year,
                "year_label": school_year_label(year),
                "items": selectors.publicity_list(user=request.user)[:50],
                "today": timezone.localdate(),
            },
        )

    def get(self, request):
        if not can(request.user, Action.CARE):
            raise Http404("没有找到该页面。")
        form = PublishForm(user=request.user, initial={"semester": _params(request)[1]})
        return self._page(request, form, year_from_request(request))

    def post(self, request):
        if not can(request.user, Action.CARE):
            raise Http404("没有找到该页面。")
        year = year_from_request(request)
        form = PublishForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.publicity_publish(
                    school=data["school"],
                    year=year,
                    semester=data["semester"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    actor=request.user,
                    address=request_address(request),
                )
            except ValidationError as error:
                add_refusal(form, error, AidPublicity)
            else:
                messages.success(request, f"已发布公示名单，共 {len(item.rows)} 人次。")
                return redirect(f"{request.path}?year={year}")
        return self._page(request, form, year)


class PublicityEndView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        item = get_object_or_404(selectors.publicity_list(user=request.user), pk=pk)
        try:
            item = services.publicity_end(
                publicity=item,
                today=timezone.localdate(),
                actor=request.user,
                address=request_address(request),
            )
        except ValidationError as refused:
            messages.error(request, "；".join(refused.messages))
        else:
            done = "公示已撤回，名单未曾公开" if item.withdrawn_on else "公示已结束"
            messages.success(request, f"{done}，公开链接不再可用。")
        return redirect("aid:publicity")


class PublicPublicityView(View):
    """The public link (no login): the masked list while the publicity runs; after its end
    date 410 Gone, before its start and for an unknown token 404, each with a Chinese page."""

    def get(self, request, token: str):
        item = selectors.publicity_by_token(token)
        today = timezone.localdate()
        if item is None or item.withdrawn_on or today < item.starts_on:
            context = {"message": "公示名单不存在或尚未开始公示。"}
            return render(request, "aid/public_gone.html", context, status=404)
        if today > item.ends_on:
            message = f"本公示已于 {item.ends_on:%Y年%m月%d日} 结束，名单不再公开。"
            return render(request, "aid/public_gone.html", {"message": message}, status=410)
        context = {
            "item": item,
            "school": item.school.org_unit.name,
            "year_label": school_year_label(item.year),
            "semester_label": Semester(item.semester).label,
        }
        response = render(request, "aid/public.html", context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
