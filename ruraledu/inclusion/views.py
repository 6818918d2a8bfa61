"""Pages: the overview (counts, any role in scope), the list of the 残联 list's children and
the unplaced by town, a child's placement decision, the 送教上门 children with their progress
(phone-first), a child's visits with the visit form, and the bureau's frequency setting.
Every page that shows names logs one access row per child shown."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import is_bureau
from ruraledu.accounts.scoping import can
from ruraledu.audit.utils import request_address
from ruraledu.care.exports import watermark
from ruraledu.care.views import log_subject_reads
from ruraledu.core.files import attachment
from ruraledu.core.schoolyear import form_day, year_from_request, year_param
from ruraledu.spreadsheets.export import export_response

from . import exports, forms, selectors, services
from .choices import PlacementState
from .models import HomeVisit, PlacementDecision, VisitRule
from .reconcile import visit_rule


def _require_care(user) -> None:
    if not can(user, Action.CARE):
        raise Http404("没有找到该页面。")


def _log(request, rows, purpose: str) -> None:
    log_subject_reads(request, (r.subject for r in rows), purpose)


class OverviewView(LoginRequiredMixin, View):
    """Counts per town (no names) for every role in scope; the bureau sets the frequency."""

    def get(self, request):
        if not can(request.user, Action.VIEW):
            raise Http404("没有找到该页面。")
        year = year_from_request(request)
        per_month, months = visit_rule(year)
        context = selectors.overview(user=request.user, year=year)
        context.update(
            year=year,
            works=can(request.user, Action.CARE),
            bureau=is_bureau(request.user),
            per_month=per_month,
            months="、".join(f"{m}月" for m in months),
            rule_form=forms.RuleForm(
                initial={
                    "visits_per_month": per_month,
                    "term_months": ",".join(map(str, months)),
                }
            ),
        )
        return render(request, "inclusion/overview.html", context)


class RuleView(LoginRequiredMixin, View):
    def post(self, request):
        if not is_bureau(request.user):
            raise Http404("没有找到该页面。")
        year = year_param(request.POST.get("year")) or year_from_request(request)
        form = forms.RuleForm(request.POST)
        if form.is_valid():
            try:
                services.rule_set(
                    actor=request.user,
                    year=year,
                    address=request_address(request),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, "送教上门频次已保存，各儿童的进度按新频次计算。")
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect(f"{reverse('inclusion:overview')}?year={year}")


FILTERS = {"": "全部", **{s: PlacementState(s).label for s in PlacementState.values}}


class ChildListView(LoginRequiredMixin, View):
    """The year's 残联 list with each child's placement (care roles, names logged)."""

    def get(self, request):
        _require_care(request.user)
        year = year_from_request(request)
        state = request.GET.get("state", "")
        state = state if state in FILTERS else ""
        rows = selectors.child_rows(user=request.user, year=year, state=state)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        _log(request, [r for r in page.object_list if r.clear], "inclusion_list")
        return render(
            request,
            "inclusion/child_list.html",
            {
                "page_obj": page,
                "query": urlencode({"year": year, "state": state}),
                "year": year,
                "state": state,
                "filters": FILTERS,
            },
        )


class UnplacedView(LoginRequiredMixin, View):
    """School-age children of the 残联 list with no enrolment and no decision, by town."""

    def get(self, request):
        _require_care(request.user)
        year = year_from_request(request)
        groups = selectors.unplaced_by_town(user=request.user, year=year)
        _log(request, [r for _, rows in groups for r in rows if r.clear], "inclusion_unplaced")
        return render(
            request,
            "inclusion/unplaced.html",
            {"groups": groups, "year": year, "total": sum(len(rows) for _, rows in groups)},
        )


class DecideView(LoginRequiredMixin, View):
    def _row(self, request, pk: int):
        _require_care(request.user)
        year = year_from_request(request)
        row = selectors.child_row(user=request.user, year=year, entry_id=pk)
        if row is None:
            raise Http404("没有找到该儿童。")
        return year, row

    def get(self, request, pk: int):
        year, row = self._row(request, pk)
        decision = row.decision
        initial = {"version": decision.version} if decision else {"decided_on": form_day(year)}
        if decision:
            initial.update(
                kind=decision.kind,
                school=decision.school_id,
                place_note=decision.place_note,
                decided_on=decision.decided_on,
            )
            # a deferral's reason and evidence are disability details: prefilled only for
            # those with personal-data rights at the child's place, never the town office
            if row.details:
                initial.update(reason=decision.reason, evidence=decision.evidence)
        form = self.decision_form(request, row, initial=initial)
        return self.render_form(request, year, row, form)

    def post(self, request, pk: int):
        year, row = self._row(request, pk)
        form = self.decision_form(request, row, data=request.POST, files=request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if row.decision and not row.details and data["kind"] == row.decision.kind:
                # not shown to this user, so a field left blank keeps what is on file
                data["reason"] = data["reason"] or row.decision.reason
                data["evidence"] = data["evidence"] or row.decision.evidence
            upload = data["evidence_file"]
            try:
                services.decision_record(
                    actor=request.user,
                    year=year,
                    entry_id=row.entry.pk,
                    kind=data["kind"],
                    decided_on=data["decided_on"],
                    school=data["school"],
                    place_note=data["place_note"],
                    reason=data["reason"],
                    evidence=data["evidence"],
                    evidence_file=(upload.read(), upload.name) if upload else None,
                    version=data["version"],
                    address=request_address(request),
                )
            except PermissionDenied as error:
                raise Http404("没有找到该儿童。") from error
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    for message in error.messages:
                        form.add_error(None, message)
            else:
                messages.success(request, "安置决定已保存。")
                return redirect(f"{reverse('inclusion:child_list')}?year={year}")
        return self.render_form(request, year, row, form, status=400)

    @staticmethod
    def decision_form(request, row, **kwargs):
        form = forms.DecisionForm(user=request.user, **kwargs)
        if row.decision and not row.details:
            hidden = (
                "已登记的内容属残疾信息，仅区教体局和儿童就读学校可见；"
                "安置方式不变时留空则保留原内容。"
            )
            form.fields["reason"].help_text = hidden
            form.fields["evidence"].help_text = hidden
        return form

    @staticmethod
    def render_form(request, year, row, form, status=200):
        if row.clear:
            _log(request, [row], "inclusion_decide")
        return render(
            request,
            "inclusion/decide.html",
            {"row": row, "form": form, "year": year, "decidable": row.decidable},
            status=status,
        )


class HomeListView(LoginRequiredMixin, View):
    """The 送教上门 children with their progress; `?behind=1` lists those behind schedule."""

    def get(self, request):
        _require_care(request.user)
        year = year_from_request(request)
        behind = request.GET.get("behind") == "1"
        rows = selectors.home_rows(user=request.user, year=year, behind=behind)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        _log(request, page.object_list, "inclusion_home_list")
        per_month, _ = visit_rule(year)
        return render(
            request,
            "inclusion/home_list.html",
            {
                "page_obj": page,
                "query": urlencode({"year": year, **({"behind": 1} if behind else {})}),
                "year": year,
                "behind": behind,
                "per_month": per_month,
            },
        )


class HomeDetailView(LoginRequiredMixin, View):
    """One child's progress month by month, the visits, and the form to log one."""

    def _row(self, request, key: str):
        _require_care(request.user)
        year = year_from_request(request)
        row = selectors.home_row(user=request.user, year=year, key=key)
        if row is None:
            raise Http404("没有找到该儿童。")
        return year, row

    def get(self, request, key: str):
        year, row = self._row(request, key)
        return self.render_page(request, year, row, forms.VisitForm(initial={"on": form_day(year)}))

    def post(self, request, key: str):
        year, row = self._row(request, key)
        form = forms.VisitForm(request.POST)
        if form.is_valid():
            try:
                services.visit_add(
                    actor=request.user,
                    year=year,
                    key=key,
                    address=request_address(request),
                    **form.cleaned_data,
                )
            except PermissionDenied as error:
                raise Http404("没有找到该儿童。") from error
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    for message in error.messages:
                        form.add_error(None, message)
            else:
                messages.success(request, "送教记录已保存。")
                url = reverse("inclusion:home_detail", args=[key])
                return redirect(f"{url}?year={year}")
        return self.render_page(request, year, row, form, status=400)

    @staticmethod
    def render_page(request, year, row, form, status=200):
        _log(request, [row], "inclusion_home_view")
        # the child's visits of the year may come from an earlier school: those out of the
        # user's care reach count in the progress, but what was taught there is not shown
        every = HomeVisit.objects.filter(year=year, id_index=row.id_index)
        visits = every.for_user(request.user, Action.CARE).order_by("-on", "-pk")
        per_month, _ = visit_rule(year)
        return render(
            request,
            "inclusion/home_detail.html",
            {
                "row": row,
                "year": year,
                "visits": visits,
                "elsewhere": every.count() - len(visits),
                "form": form,
                "per_month": per_month,
                "rule": VisitRule.objects.filter(year=year).first(),
            },
            status=status,
        )


class DecisionFileView(LoginRequiredMixin, View):
    """The document behind a decision, as an attachment, to those who see the child's
    disability details (the bureau, the child's own school); the read is logged."""

    def get(self, request, pk: int):
        _require_care(request.user)
        decision = PlacementDecision.objects.filter(pk=pk).exclude(evidence_file="").first()
        if decision is None:
            raise Http404("没有找到该文件。")
        row = selectors.child_row(user=request.user, year=decision.year, entry_id=decision.entry_id)
        if row is None or not row.details:
            raise Http404("没有找到该文件。")
        _log(request, [row], "inclusion_file")
        return attachment(
            decision.evidence_file,
            filename=decision.evidence_name,
            content_type=decision.evidence_type,
        )


class ChildExportView(LoginRequiredMixin, View):
    """The list as on the page (same filter), as Excel: care roles only, watermarked, every
    child whose name goes out in clear logged as a read."""

    def get(self, request):
        _require_care(request.user)
        year = year_from_request(request)
        state = request.GET.get("state", "")
        state = state if state in FILTERS else ""
        rows = selectors.child_rows(user=request.user, year=year, state=state)
        _log(request, [r for r in rows if r.clear], "inclusion_export")
        return export_response(
            filename_zh=f"残联名单比对（{year}学年）{timezone.localdate():%Y%m%d}",
            columns=exports.COLUMNS,
            rows=exports.child_rows(rows),
            sheet_title="残联名单比对",
            watermark=watermark(request.user),
        )
