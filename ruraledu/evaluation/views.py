"""Pages of the evaluation: parse input, call a selector or a service, render."""

from contextlib import contextmanager, nullcontext
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach, is_bureau
from ruraledu.audit.utils import request_address
from ruraledu.core.files import attachment
from ruraledu.core.params import int_param
from ruraledu.core.schoolyear import current_school_year, year_param
from ruraledu.core.views import StepRefused, add_refusal, labelled_errors
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.models import IndicatorValue
from ruraledu.indicators.selectors import unit_for_user
from ruraledu.orgunits.districts import districts_covered
from ruraledu.orgunits.models import OrgUnit
from ruraledu.spreadsheets.safety import UploadRefused
from ruraledu.spreadsheets.services import ImportRejected

from . import selectors, services, survey
from .choices import Answer, Comparator, Framework, ItemKind, RespondentGroup
from .forms import (
    CodesForm,
    EvidenceForm,
    FigureForm,
    ImportForm,
    MonitoringForm,
    ReviewForm,
    SurveySettingsForm,
    ThresholdForm,
)
from .gaps import responsible_gaps
from .models import MonitoringResult, Survey
from .survey_import import responses_import, template_bytes
from .units import evaluated_unit_of, may_change

MONITORING_ITEM = "Q09"  # the item whose page imports the 质量监测 results


def _text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class EvaluationIndexView(LoginRequiredMixin, TemplateView):
    template_name = "evaluation/evaluation_index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        units = districts_covered(user)
        if not units:
            assigned = list(selectors.assigned_evaluations(user))
            if not assigned:
                raise Http404("没有这项评估，或不在您的权限范围内。")
            return super().get_context_data(assigned=assigned, **kwargs)
        years = sorted(
            set(IndicatorValue.objects.values_list("year", flat=True).distinct()), reverse=True
        ) or [current_school_year()]
        return super().get_context_data(
            tables=selectors.index_tables(user, units, years),
            frameworks=Framework.choices,
            may_set_thresholds=is_bureau(user),
            **kwargs,
        )


class EvaluationMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.evaluation = selectors.evaluation_get(
                user=request.user,
                unit=kwargs["unit"],
                framework=kwargs["framework"],
                year=kwargs["year"],
            )
        return super().dispatch(request, *args, **kwargs)

    def may_change(self) -> bool:
        return may_change(self.request.user, self.evaluation.unit)

    def drills(self) -> bool:
        """Whether to link to the drill-downs (indicator pages, 各校诊断): they show the
        unit's data, which an expert from outside, who sees this evaluation only, may not open."""
        return (
            OrgUnit.objects.for_user(self.request.user).filter(pk=self.evaluation.unit_id).exists()
        )

    def stored(self):
        """The evaluation, stored when those who run it first act on it (or set up its
        survey); nobody else can act on one not started."""
        if not self.may_change():
            raise Http404(services.NOT_BUREAU)
        e = self.evaluation
        return services.evaluation_get_or_create(unit=e.unit, framework=e.framework, year=e.year)

    @contextmanager
    def writing(self):
        """A write, with the evaluation stored first if nobody had started it: a write
        refused inside (ValidationError) leaves neither behind, and self.evaluation is again
        the one not stored."""
        before = self.evaluation
        try:
            with transaction.atomic():
                if before.pk is None:
                    self.evaluation = self.stored()
                yield
        except BaseException:
            self.evaluation = before  # one stored by the refused write is gone again
            raise

    def again(self, template: str, page, **shown):
        """A refused post's page again (400): `page()` is what the page shows, `shown` the
        refused form bound to what was typed and its reasons. The page is built inside a
        transaction that is rolled back, so whatever building it sets up is not kept and a
        refusal writes nothing."""
        with transaction.atomic():
            context = page()
            context.update(shown)
            response = render(self.request, template, context, status=400)
            transaction.set_rollback(True)
        return response

    def back(self, code: str = "", name: str = ""):
        e = self.evaluation
        if code:
            return redirect("evaluation:item_detail", e.unit.code, e.framework, e.year, code)
        return redirect(name or "evaluation:evaluation_detail", e.unit.code, e.framework, e.year)


class EvaluationDetailView(EvaluationMixin, TemplateView):
    template_name = "evaluation/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.detail_page(), **kwargs)

    def detail_page(self) -> dict:
        """What the evaluation's page shows."""
        sheet = selectors.evaluation_sheet(self.evaluation)
        experts = (
            self.evaluation.experts.select_related("user").order_by("-is_lead", "pk")
            if self.evaluation.pk
            else []
        )
        root = self.evaluation.unit
        gaps = responsible_gaps(sheet["results"], self.evaluation.year, root)
        return {
            "evaluation": self.evaluation,
            "gaps": gaps,
            "root": root,
            "drills": self.drills(),
            "may_change": self.may_change(),
            "experts": list(experts),
            **sheet,
        }


class EvaluationCloseView(EvaluationMixin, View):
    def post(self, request, unit, framework, year):
        try:
            with self.writing():
                services.evaluation_close(evaluation=self.evaluation, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _text(exc))
        else:
            messages.success(request, "评估已结束，结果已冻结。")
        return self.back()


class ExpertAssignView(EvaluationDetailView):
    """The bureau assigns an expert by user name; a refusal comes back on the evaluation's page
    (400) with the name as typed and the reason under it."""

    http_method_names = ["post"]

    def post(self, request, unit, framework, year):
        from django.contrib.auth import get_user_model

        if not self.may_change():
            raise Http404(services.NOT_BUREAU)
        user = (
            get_user_model()
            .objects.filter(username=request.POST.get("username", "").strip(), is_active=True)
            .first()
        )
        if user is None:
            return self.refused("没有这个用户名的有效账号。")
        try:
            with self.writing():
                services.expert_assign(
                    evaluation=self.evaluation,
                    actor=request.user,
                    user=user,
                    is_lead=bool(request.POST.get("is_lead")),
                )
        except ValidationError as exc:
            return self.refused(_text(exc))
        messages.success(request, f"已分派评估专家：{user}。")
        return self.back()

    def refused(self, reason: str):
        typed = {
            "username": self.request.POST.get("username", ""),
            "is_lead": "is_lead" in self.request.POST,
        }
        return self.again(
            self.template_name, self.detail_page, expert_typed=typed, expert_refused=reason
        )


class ItemPageMixin(EvaluationMixin):
    def item_page(self, code: str, **forms) -> dict:
        """What an item's page shows; `forms` (figure_form, evidence_form, review_form,
        threshold_form, monitoring_form) replace the empty ones, e.g. a refused one bound to
        what was typed."""
        item = selectors.item_get(evaluation=self.evaluation, code=code)
        sheet = selectors.evaluation_sheet(self.evaluation)
        result = next(r for r in sheet["results"] if r.item.pk == item.pk)
        bureau = self.may_change()
        role = services.reviewer_role(self.request.user, self.evaluation)
        may_set_thresholds = is_bureau(self.request.user)
        # the steps whose form is on the page
        offered = {
            "evidence": bureau,
            "review": item.kind in (ItemKind.EVIDENCE, ItemKind.VETO)
            and role is not None
            and not self.evaluation.closed_at,
            "monitoring": item.code == MONITORING_ITEM and bureau,
            "figure": bureau and item.kind == ItemKind.MEASURED and not item.indicator_code,
            "threshold": may_set_thresholds and item.comparator != Comparator.JUDGED,
        }
        figure = result.figure
        return {
            "may_review": role is not None,
            "drills": self.drills(),
            # the indicators the item is computed from, by name
            "indicators": [
                REGISTRY[code]
                for code in (item.indicator_code, item.second_indicator_code)
                if code in REGISTRY
            ],
            "evaluation": self.evaluation,
            "item": item,
            "monitoring": (
                list(
                    MonitoringResult.objects.filter(
                        unit=self.evaluation.unit_id, year=self.evaluation.year
                    )
                )
                if offered["monitoring"]
                else None
            ),
            "result": result,
            "may_change": bureau,
            "may_set_thresholds": may_set_thresholds,
            "offered": {step for step, shown in offered.items() if shown},
            "figure_form": FigureForm(
                initial={"value": figure.value, "second_value": figure.second_value}
                if figure
                else None
            ),
            "evidence_form": EvidenceForm(),
            "review_form": ReviewForm(),
            "threshold_form": ThresholdForm(
                initial={
                    "threshold": item.threshold,
                    "second_threshold": item.second_threshold,
                    "provisional": item.provisional,
                }
            ),
            "monitoring_form": MonitoringForm(),
            **forms,
        }


class ItemDetailView(ItemPageMixin, TemplateView):
    template_name = "evaluation/item_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.item_page(kwargs["code"]), **kwargs)


class ItemActionView(ItemPageMixin, View):
    """POST only, one form of the item's page (`step`, shown as `step`_form). A refusal comes
    back on the item's page (400) with the form bound to what was typed: a form's errors on
    their fields, the service's reason above the form. Nothing is written."""

    form_class = None
    step = ""
    stores_evaluation = True  # the write is the evaluation's (stored with its first one)
    refusals = (ValidationError, PermissionDenied)  # what act() raises for a refused write

    def permitted(self) -> bool:
        return self.may_change()

    def post(self, request, unit, framework, year, code):
        if not self.permitted():
            raise Http404(services.NOT_BUREAU)
        item = selectors.item_get(evaluation=self.evaluation, code=code)
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.refused(code, form)
        try:
            with self.writing() if self.stores_evaluation else nullcontext():
                done = self.act(item, form.cleaned_data)
        except self.refusals as exc:
            return self.refused(code, form, **self.reasons(exc, form))
        messages.success(request, done or "已保存。")
        return self.back(code)

    def reasons(self, exc, form) -> dict:
        """What the page shows of a write the service refused: its reason above the form."""
        return {"refused": StepRefused.of(self.step, exc, self.request.POST)}

    def refused(self, code: str, form, **shown):
        """The item's page again (400) with the refused form; one not on the page (no longer
        offered to the user) has its reasons said above the page instead."""

        def page():
            context = self.item_page(code, **{f"{self.step}_form": form}) | shown
            if self.step not in context["offered"]:
                refusal = context.pop("refused", None)
                said = [refusal.reason] if refusal else labelled_errors(form)
                messages.error(self.request, f"未保存：{'；'.join(said)}")
            return context

        return self.again("evaluation/item_detail.html", page)


class ItemFigureView(ItemActionView):
    form_class = FigureForm
    step = "figure"

    def act(self, item, data):
        upload = data["source"]
        services.figure_set(
            evaluation=self.evaluation,
            item=item,
            actor=self.request.user,
            value=data["value"],
            second_value=data["second_value"],
            data=upload.read(),
            filename=upload.name,
            note=data["note"],
        )


class ItemEvidenceView(ItemActionView):
    form_class = EvidenceForm
    step = "evidence"

    def act(self, item, data):
        upload = data["file"]
        services.evidence_add(
            evaluation=self.evaluation,
            item=item,
            actor=self.request.user,
            data=upload.read(),
            filename=upload.name,
        )


class ItemReviewView(ItemActionView):
    form_class = ReviewForm
    step = "review"

    def permitted(self) -> bool:
        return services.reviewer_role(self.request.user, self.evaluation) is not None

    def act(self, item, data):
        services.review_add(
            evaluation=self.evaluation,
            item=item,
            actor=self.request.user,
            verdict=data["verdict"],
            comment=data["comment"],
        )


class ItemThresholdView(ItemActionView):
    form_class = ThresholdForm
    step = "threshold"
    stores_evaluation = False  # a framework's threshold, for every district

    def permitted(self) -> bool:
        return is_bureau(self.request.user)  # the thresholds hold for every district

    def act(self, item, data):
        services.item_threshold_set(
            item=item,
            actor=self.request.user,
            threshold=data["threshold"],
            second_threshold=data["second_threshold"],
            provisional=data["provisional"],
        )


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        file = selectors.evidence_get(user=request.user, pk=pk)
        return attachment(file.file, filename=file.original_name, content_type=file.content_type)


# ------------------------------------------------------------------ survey


class SurveyMixin(EvaluationMixin):
    def the_survey(self):
        """The evaluation's survey. Those who run the evaluation set it up by opening it; to
        anyone else one not set up yet is a 404 (reading stores nothing)."""
        if self.may_change():
            if self.evaluation.pk is None:
                self.evaluation = self.stored()
            return survey.survey_ensure(evaluation=self.evaluation)
        e = self.evaluation
        found = Survey.objects.filter(evaluation_id=e.pk).first() if e.pk else None
        if found is None:
            raise Http404("该评估尚未开展社会认可度调查。")
        return found

    def ensure_may_change(self) -> None:
        """A post to the survey: whoever may not change the evaluation gets its 404, whether
        the post is valid or not."""
        if not self.may_change():
            raise Http404(services.NOT_BUREAU)

    def refused(self, **shown):
        """The survey page again (400) with the refused form (settings_form, codes_form or
        import_form) bound to what was typed and each error on its field. Nothing is written:
        an evaluation or survey not set up yet is set up only to show the page and rolled
        back, so its answer links (whose token is not kept) are not shown."""
        e = self.evaluation
        pending = e.pk is None or not Survey.objects.filter(evaluation_id=e.pk).exists()
        return self.again(
            "evaluation/survey_manage.html", self.survey_page, pending=pending, **shown
        )

    def survey_page(self) -> dict:
        """What the survey page shows (setting the survey up for those who run it)."""
        s = self.the_survey()
        school = _school_of(self.request.GET.get("school"), self.evaluation.unit)
        links = [
            (label, g, _answer_link(self.request, s, g, school))
            for g, label in RespondentGroup.choices
        ]
        return {
            "evaluation": self.evaluation,
            "survey": s,
            "result": survey.survey_result(s),
            "towns": survey.survey_by_town(s),
            "links": links,
            "school": school,
            "may_change": self.may_change(),
            "codes_left": s.codes.filter(used=False).count(),
            "settings_form": SurveySettingsForm(
                initial={f: getattr(s, f) for f in ("is_open", "min_sample", "requires_code")}
            ),
            "codes_form": CodesForm(),
            "import_form": ImportForm(),
        }


class SurveyManageView(SurveyMixin, TemplateView):
    template_name = "evaluation/survey_manage.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.survey_page(), **kwargs)


def _school_of(code: str | None, district):
    """A school of the evaluated district named by ?school= (a link for it)."""
    if not code:
        return None
    schools = OrgUnit.objects.filter(code=code, kind="school", path__startswith=district.path)
    return schools.first()


def _answer_link(request, s, group: str, school) -> str:
    url = reverse("evaluation:survey_answer", args=[s.token, group])
    if school is not None:
        url += f"?school={school.code}"
    return request.build_absolute_uri(url)


class SurveyQrView(SurveyMixin, View):
    """The QR code (SVG) of a group's link, for a school when ?school= names one."""

    def get(self, request, unit, framework, year):
        import segno

        group = request.GET.get("group")
        if group not in RespondentGroup.values:
            raise Http404("没有这类调查对象。")
        s = self.the_survey()
        school = _school_of(request.GET.get("school"), self.evaluation.unit)
        link = _answer_link(request, s, group, school)
        out = BytesIO()
        segno.make(link, error="m").save(out, kind="svg", scale=4, border=2)
        return HttpResponse(out.getvalue(), content_type="image/svg+xml")


class SurveySettingsView(SurveyMixin, View):
    def post(self, request, unit, framework, year):
        self.ensure_may_change()
        form = SurveySettingsForm(request.POST)
        if not form.is_valid():
            return self.refused(settings_form=form)
        try:
            # set up with the write: a refused one leaves no survey behind
            with self.writing():
                s = self.the_survey()
                survey.survey_settings_set(survey=s, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc, Survey)
            return self.refused(settings_form=form)
        messages.success(request, "已保存。")
        return self.back(name="evaluation:survey_manage")


class SurveyCodesView(SurveyMixin, View):
    """New one-time codes, as a text file to print; they are not shown again."""

    def post(self, request, unit, framework, year):
        self.ensure_may_change()
        form = CodesForm(request.POST)
        if not form.is_valid():
            return self.refused(codes_form=form)
        try:
            with self.writing():
                codes = survey.codes_issue(
                    survey=self.the_survey(), actor=request.user, count=form.cleaned_data["count"]
                )
        except ValidationError as exc:
            add_refusal(form, exc)
            return self.refused(codes_form=form)
        response = HttpResponse("\n".join(codes) + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = "attachment; filename*=UTF-8''survey-codes.txt"
        return response


class SurveyImportView(SurveyMixin, View):
    def post(self, request, unit, framework, year):
        self.ensure_may_change()
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refused(import_form=form)
        upload = form.cleaned_data["file"]
        try:
            with self.writing():
                added = responses_import(
                    survey=self.the_survey(),
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name,
                )
        except UploadRefused as exc:
            form.add_error("file", exc.message)
            return self.refused(import_form=form)
        except ImportRejected as exc:
            form.add_error(None, f"导入被拒绝：共 {len(exc.errors)} 处错误，未写入任何答卷。")
            return self.refused(import_form=form, import_errors=exc.errors[:50])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.refused(import_form=form)
        messages.success(request, f"已导入答卷 {added} 份。")
        return self.back(name="evaluation:survey_manage")


class SurveyTemplateView(EvaluationMixin, View):
    def get(self, request, unit, framework, year):
        response = HttpResponse(
            template_bytes(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''survey-responses.xlsx"
        return response


class SurveyAnswerView(TemplateView):
    """The public questionnaire: no login, nothing about the person kept. The address is used
    only, hashed and for an hour, to refuse floods."""

    template_name = "evaluation/survey_answer.html"

    def dispatch(self, request, token, group):
        self.survey = get_object_or_404(
            Survey.objects.select_related("evaluation__unit"), token=token
        )
        if group not in RespondentGroup.values:
            raise Http404("没有这类调查对象。")
        self.group = group
        self.school = _school_of(request.GET.get("school"), self.survey.evaluation.unit)
        return super().dispatch(request, token, group)

    def get_context_data(self, **kwargs):
        group = self.survey.groups.get(group=self.group)
        return super().get_context_data(
            survey=self.survey,
            group=group,
            questions=list(group.questions.all()),
            answers=Answer.choices,
            school=self.school,
            **kwargs,
        )

    def post(self, request, token, group):
        answers = {}
        for name, value in request.POST.items():
            number, answer = int_param(name[1:]), int_param(value)
            if name.startswith("q") and number is not None and answer is not None:
                answers[number] = answer
        try:
            # one transaction: a refused questionnaire does not count towards the limit
            with transaction.atomic():
                survey.flood_check(survey=self.survey, address=request_address(request))
                survey.response_submit(
                    survey=self.survey,
                    group=self.group,
                    school=self.school,
                    answers=answers,
                    code=request.POST.get("code", ""),
                )
        except survey.Flooded as exc:
            return self._again(request, str(exc), status=429)
        except ValidationError as exc:
            return self._again(request, _text(exc), status=400, chosen=answers)
        except PermissionDenied as exc:
            return self._again(request, str(exc), status=403)
        return self.render_to_response(self.get_context_data(done=True))

    def _again(self, request, message: str, *, status: int, chosen=None):
        context = self.get_context_data(error=message, chosen=chosen or {})
        return self.render_to_response(context, status=status)


# ------------------------------------------------------------------ diagnosis


class SchoolDiagnosisView(LoginRequiredMixin, TemplateView):
    template_name = "evaluation/school_diagnosis.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        school = selectors.school_get(user=user, code=kwargs["code"])
        year = kwargs.pop("year", None) or year_param(self.request.GET.get("year"))
        data = selectors.school_diagnosis(school=school, year=year)
        may_upload = Reach(user, Action.CHANGE).covers(school.path)
        return super().get_context_data(
            school=school,
            may_upload=may_upload,
            school_items=selectors.school_evidence_items() if may_upload else [],
            **data,
            **kwargs,
        )

    def post(self, request, code):
        """A school's own evidence for an item judged school by school."""
        school = selectors.school_get(user=request.user, code=code)
        district = evaluated_unit_of(school.path)
        if district is None or not Reach(request.user, Action.CHANGE).covers(school.path):
            raise Http404("没有这所学校，或不在您的权限范围内。")
        year = year_param(request.POST.get("year"))
        items = {i.pk: i for i in selectors.school_evidence_items()}
        item = items.get(int_param(request.POST.get("item")))
        upload = request.FILES.get("file")
        if year is None or item is None or upload is None:
            return self._again(code, year, item, "请选择学年、指标和文件。")
        try:
            # the school's evidence is the district evaluation's: stored with the first one kept
            with transaction.atomic():
                evaluation = services.evaluation_get_or_create(
                    unit=district, framework=item.framework, year=year
                )
                services.evidence_add(
                    evaluation=evaluation,
                    item=item,
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name,
                    school=school,
                )
        except ValidationError as exc:
            return self._again(code, year, item, f"未保存：{_text(exc)}")
        messages.success(request, "已上传。")
        return redirect(f"{reverse('evaluation:school_diagnosis', args=[code])}?year={year}")

    def _again(self, code: str, year, item, error: str):
        """The page again (400) with the item as chosen and the reason above the form; the
        browser cannot keep a chosen file, so the form asks for it again."""
        context = self.get_context_data(code=code, year=year, upload_error=error, chosen=item)
        return self.render_to_response(context, status=400)


class UnitDiagnosisView(LoginRequiredMixin, TemplateView):
    template_name = "evaluation/unit_diagnosis.html"

    def get_context_data(self, **kwargs):
        unit = unit_for_user(self.request.user, self.request.GET.get("unit"))
        years = selectors.diagnosis_years(unit)
        year = year_param(self.request.GET.get("year"))
        year = year if year in years else (years[-1] if years else None)
        rows = selectors.unit_diagnoses(user=self.request.user, unit=unit, year=year)
        gaps: dict[str, int] = {}
        for row in rows:
            for label in row["lacking"]:
                gaps[label] = gaps.get(label, 0) + 1
        return super().get_context_data(
            gaps=sorted(gaps.items(), key=lambda g: -g[1]),
            unit=unit,
            year=year,
            years=years,
            rows=rows,
            **kwargs,
        )
