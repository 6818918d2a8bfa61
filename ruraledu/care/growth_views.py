"""学困生成长档案 pages: the school's list of flagged pupils with each file's state, opening a
file from the assessment, and a file's page with the plan, review and exit forms (each calls
one service). Care roles only; every pupil shown by name is logged as a personal-data read."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.utils import request_address
from ruraledu.core.bulk import chunked
from ruraledu.core.params import int_param
from ruraledu.core.schoolyear import current_school_year, year_param
from ruraledu.core.versions import refusal_messages
from ruraledu.core.views import add_refusal
from ruraledu.students.models import Enrolment

from . import forms, selectors, services
from .choices import GrowthFileStatus, GrowthState
from .permissions import ensure_growth_visible, growth_clear_names
from .views import _require_care, log_subject_reads


def log_pupil_reads(request, person_ids, purpose: str) -> None:
    """One access row per child shown by name, under the child's own subject (the bureau's
    per-child page reads it)."""
    log_subject_reads(request, (f"students.studentperson:{pk}" for pk in person_ids), purpose)


class GrowthListView(LoginRequiredMixin, View):
    """The flagged pupils of the user's schools with the state of each one's file."""

    def get(self, request):
        _require_care(request.user)
        today = timezone.localdate()
        year = year_param(request.GET.get("year")) or current_school_year()
        unit_id = int_param(request.GET.get("unit"))
        show = request.GET.get("state", "")
        enrolments = selectors.growth_pupil_list(user=request.user, year=year, unit_id=unit_id)
        files = selectors.growth_files_of(enrolments.values_list("person_id", flat=True))
        care = Reach(request.user, Action.CARE)
        states = {pid: _list_state(f, care, today) for pid, f in files.items()}
        moved_on = _enrolled_later(files, year)
        rows = []
        counts: Counter = Counter()
        personal = Reach(request.user, Action.VIEW_PERSONAL)
        for enrolment in enrolments:
            state = states.get(enrolment.person_id, GrowthState.NO_FILE)
            counts[state] += 1
            if show and state != show:
                continue
            file = files.get(enrolment.person_id)
            # another school's file is neither linked nor described here
            enrolment.file = file if file and care.covers(file.unit.path) else None
            enrolment.state = GrowthState(state)
            # an open file at the school the pupil left: the school that holds them now
            # takes it over (never one that itself held them only in an earlier year)
            enrolment.takeable = (
                file is not None
                and file.status != GrowthFileStatus.EXITED
                and file.school_id != enrolment.school_id
                and enrolment.person_id not in moved_on
            )
            enrolment.clear = personal.covers(enrolment.school.org_unit.path)
            rows.append(enrolment)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        log_pupil_reads(request, [e.person_id for e in page.object_list if e.clear], "growth_list")
        return render(
            request,
            "care/growth_list.html",
            {
                "page_obj": page,
                "year": year,
                "unit": unit_id or "",
                "show": show,
                "total": sum(counts.values()),
                # 档案在其他学校 only where it happens: most schools never see one
                "counts": [
                    (s.value, s.label, counts[s.value])
                    for s in GrowthState
                    if counts[s.value] or s != GrowthState.ELSEWHERE
                ],
            },
        )


def _list_state(file, care: Reach, today) -> str:
    if file.status != GrowthFileStatus.EXITED and not care.covers(file.unit.path):
        return GrowthState.ELSEWHERE
    return selectors.growth_state(file, today)


def _enrolled_later(files: dict, year: int) -> set[int]:
    """Of the pupils with an open file, those enrolled in a year after `year`."""
    open_files = [pid for pid, f in files.items() if f.status != GrowthFileStatus.EXITED]
    found: set[int] = set()
    # in chunks: a city's open files pass SQLite's limit on parameters per statement
    for chunk in chunked(open_files):
        later = Enrolment.objects.filter(person_id__in=chunk, year__gt=year)
        found.update(later.values_list("person_id", flat=True))
    return found


def _flagged_enrolment(request, pk: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.for_user(request.user, Action.CARE)
        .select_related("person", "school__org_unit")
        .filter(pk=pk, struggling=True)
        .first()
    )
    if enrolment is None:
        raise Http404("没有找到该学生。")
    return enrolment


class GrowthOpenView(LoginRequiredMixin, View):
    """Open a flagged pupil's file with the assessment that put them on the list."""

    def get(self, request, pk: int):
        _require_care(request.user)
        enrolment = _flagged_enrolment(request, pk)
        return self.show(request, enrolment, forms.GrowthOpenForm())

    def post(self, request, pk: int):
        _require_care(request.user)
        enrolment = _flagged_enrolment(request, pk)
        form = forms.GrowthOpenForm(request.POST)
        if form.is_valid():
            try:
                file = services.growth_file_open(
                    enrolment=enrolment,
                    actor=request.user,
                    address=request_address(request),
                    **form.cleaned_data,
                )
            except PermissionDenied as error:
                raise Http404("没有找到该学生。") from error
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "已建立成长档案，请制定帮扶计划。")
                return redirect("care:growth_detail", pk=file.pk)
        return self.show(request, enrolment, form, status=400)

    @staticmethod
    def show(request, enrolment, form, status=200):
        clear = Reach(request.user, Action.VIEW_PERSONAL).covers(enrolment.school.org_unit.path)
        if clear:
            log_pupil_reads(request, [enrolment.person_id], "growth_view")
        return render(
            request,
            "care/growth_open.html",
            {"enrolment": enrolment, "clear": clear, "form": form},
            status=status,
        )


class GrowthTakeOverView(LoginRequiredMixin, View):
    """Take over the open file a pupil brought from their former school (POST only)."""

    def post(self, request, pk: int):
        _require_care(request.user)
        enrolment = _flagged_enrolment(request, pk)
        try:
            file = services.growth_file_take_over(
                enrolment=enrolment, actor=request.user, address=request_address(request)
            )
        except PermissionDenied as error:
            raise Http404("没有找到该学生。") from error
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{reverse('care:growth_list')}?year={enrolment.year}")
        messages.success(request, "已接收该学生的成长档案，请核对帮扶计划，按本校情况修订。")
        return redirect("care:growth_detail", pk=file.pk)


def _visible_file(request, pk: int):
    _require_care(request.user)
    file = selectors.growth_file_get(user=request.user, pk=pk)
    if file is None:
        raise Http404("没有找到该成长档案。")
    ensure_growth_visible(request.user, file)
    return file


STEPS = {
    "plan": ("帮扶计划（谁帮扶、做什么、多久一次）", forms.GrowthPlanForm),
    "review": ("本学期阶段评估", forms.GrowthReviewForm),
    "exit": ("转出（学业赶上或不再认定）", forms.GrowthExitForm),
}
DONE = {"plan": "帮扶计划已保存。", "review": "阶段评估已保存。", "exit": "成长档案已转出。"}


def _step_forms(file) -> dict:
    if file.status == GrowthFileStatus.EXITED:
        return {}
    initial = {"version": file.version}
    steps = {
        "plan": forms.GrowthPlanForm(
            initial={
                **initial,
                "supporter": file.supporter,
                "support": file.support,
                "frequency": file.frequency,
            },
            prefix="plan",
        )
    }
    if file.plan_set_on:
        steps["review"] = forms.GrowthReviewForm(
            initial={**initial, "reviewer": file.supporter}, prefix="review"
        )
    steps["exit"] = forms.GrowthExitForm(initial=initial, prefix="exit")
    return steps


def _render_file(request, file, steps, status=200):
    file.clear = growth_clear_names(request.user, file)
    holdings = list(file.holdings.select_related("unit"))
    # logged with the name masked too: the assessment, plan and reviews are the child's record
    log_pupil_reads(request, [file.person_id], "growth_view")
    return render(
        request,
        "care/growth_detail.html",
        {
            "file": file,
            "state": GrowthState(selectors.growth_state(file, timezone.localdate())),
            "reviews": file.reviews.all(),
            # the schools that held the file, once it has moved
            "holdings": holdings if len(holdings) > 1 else (),
            "steps": [(key, STEPS[key][0], form) for key, form in steps.items()],
        },
        status=status,
    )


class GrowthDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        file = _visible_file(request, pk)
        return _render_file(request, file, _step_forms(file))


def _run(step: str, file, user, data: dict, address):
    common = {
        "file": file,
        "actor": user,
        "version": data["version"],
        "on": data["on"],
        "address": address,
    }
    if step == "plan":
        return services.growth_plan_set(
            **common,
            supporter=data["supporter"],
            support=data["support"],
            frequency=data["frequency"],
        )
    if step == "review":
        return services.growth_review_add(
            **common, reviewer=data["reviewer"], progress=data["progress"], note=data["note"]
        )
    return services.growth_file_exit(**common, reason=data["reason"], note=data["note"])


class GrowthStepView(LoginRequiredMixin, View):
    """One step of a file (POST only): the form's shape, then the service decides."""

    def post(self, request, pk: int, step: str):
        if step not in STEPS:
            raise Http404
        file = _visible_file(request, pk)
        form = STEPS[step][1](request.POST, prefix=step)
        if form.is_valid():
            try:
                _run(step, file, request.user, form.cleaned_data, request_address(request))
            except PermissionDenied as error:
                raise Http404("没有找到该成长档案。") from error
            except ValidationError as error:
                for message in refusal_messages(form, error):
                    form.add_error(None, message)
            else:
                messages.success(request, DONE[step])
                return redirect("care:growth_detail", pk=file.pk)
        steps = _step_forms(file)
        steps[step] = form
        return _render_file(request, file, steps, status=400)
