import datetime as dt

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from ruraledu.accounts.policy import is_bureau
from ruraledu.audit.personal_access import ChildReads
from ruraledu.plans.models import Target
from ruraledu.plans.selectors import plan_of_unit, target_get
from ruraledu.spreadsheets.base import Column
from ruraledu.spreadsheets.export import export_response

from . import charts, selectors
from .drilldown import drill_measure, drill_parts, drill_records
from .engine import REGISTRY
from .evaluation import plan_unit
from .models import TargetStatusChange


def _year(request, years: list[int]) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return year if year in years else (years[0] if years else None)


def _plan_targets(code: str, unit):
    """The targets measured by indicator `code` in the plan of `unit`'s district (or city):
    each district's plan has its own, with its own thresholds."""
    plan = plan_of_unit(unit) if unit else None
    return Target.objects.filter(plan=plan, indicator_code=code).select_related("state")


def _threshold(targets):
    target = targets.exclude(threshold=None).order_by("due_date").first()
    return float(target.threshold) if target else None


class IndicatorListView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/indicator_list.html"

    def get_context_data(self, **kwargs):
        unit = selectors.home_unit(self.request.user)
        latest = {}
        if unit:
            for value in selectors.IndicatorValue.objects.filter(unit=unit).order_by(
                "code", "year"
            ):
                latest[value.code] = value
        rows = [(indicator, latest.get(code)) for code, indicator in sorted(REGISTRY.items())]
        return super().get_context_data(rows=rows, unit=unit, **kwargs)


class IndicatorDetailView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/indicator_detail.html"

    def get_context_data(self, **kwargs):
        indicator = selectors.indicator_get(self.kwargs["code"])
        unit = selectors.unit_for_user(self.request.user, self.request.GET.get("unit"))
        years = selectors.years_of(indicator.code)
        year = _year(self.request, years)
        trend = selectors.value_trend(code=indicator.code, unit=unit)
        targets = _plan_targets(indicator.code, unit)
        threshold = _threshold(targets)
        children = (
            selectors.child_values(
                code=indicator.code, unit=unit, year=year, user=self.request.user
            )
            if year
            else []
        )
        children.sort(
            key=lambda pair: (pair[1].value is None, pair[1].value or 0),
            reverse=not indicator.higher_is_better,
        )
        current = next((v for v in trend if v.year == year), None)
        return super().get_context_data(
            indicator=indicator,
            unit=unit,
            year=year,
            years=years,
            trend=trend,
            current=current,
            children=children,
            threshold=threshold,
            drillable=drill_measure(indicator, "numerator") is not None,
            drill_links=drill_parts(indicator),  # every figure drills down, CVs included
            trend_chart=charts.trend_chart(
                title=indicator.name,
                years=[v.year for v in trend],
                values=[v.value for v in trend],
                unit=indicator.unit,
                threshold=threshold,
            ),
            bar_chart=charts.bar_chart(
                labels=[u.name for u, _ in children],
                values=[v.value for _, v in children],
                unit=indicator.unit,
                threshold=threshold,
            ),
            targets=targets,
            **kwargs,
        )


class IndicatorRecordsView(LoginRequiredMixin, TemplateView):
    """The records behind a part of a unit's value: numerator, denominator, those short of the
    numerator, or the per-school table of a 差异系数."""

    template_name = "indicators/indicator_records.html"

    def get(self, request, *args, **kwargs):
        indicator = selectors.indicator_get(kwargs["code"])
        unit = selectors.unit_for_user(request.user, request.GET.get("unit"))
        parts = drill_parts(indicator)
        part = request.GET.get("part") or next(iter(parts), "")
        try:
            year = int(request.GET.get("year", ""))
        except ValueError as exc:
            raise Http404("请指定学年。") from exc
        drill = drill_records(
            indicator=indicator, part=part, unit=unit, year=year, user=request.user
        )
        if drill is None:
            raise Http404("该指标没有可列出的明细记录。")
        label = parts[part]
        if request.GET.get("format") == "xlsx":
            # numbers stay numbers (areas, gaps, weights); any other value is written as text
            columns = [Column(f"c{i}", h, kind="decimal") for i, h in enumerate(drill.headers)]
            records = (
                drill.rows.iterator(chunk_size=2000)
                if hasattr(drill.rows, "iterator")
                else iter(drill.rows)
            )
            reads = ChildReads.of(request, "drilldown_export")  # pupils named in full are logged
            if not drill.names_masked:
                records = reads.through(records)
            rows = ({f"c{i}": v for i, v in enumerate(drill.render(r))} for r in records)
            response = export_response(
                filename_zh=f"{indicator.name}-{unit.name}-{year}学年-{label}",
                columns=columns,
                rows=rows,
                sheet_title=label,
            )
            reads.save()
            return response
        page = Paginator(drill.rows, 50).get_page(request.GET.get("page"))
        ChildReads.of(request, "drilldown").save(() if drill.names_masked else page.object_list)
        context = self.get_context_data(
            indicator=indicator,
            unit=unit,
            year=year,
            part=part,
            label=label,
            parts=parts,
            drill=drill,
            total=drill.total(),
            amount_header=drill.headers[drill.amount] if drill.amount is not None else "",
            headers=drill.headers,
            page_obj=page,
            rows=[drill.render(r) for r in page.object_list],
            query_string=request.GET.copy().urlencode(),
        )
        if request.htmx:
            return self.response_class(request, "indicators/_records_table.html", context)
        return self.render_to_response(context)


class TargetDetailView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/target_detail.html"

    def get_context_data(self, **kwargs):
        target = target_get(self.request.user, self.kwargs["code"], self.request.GET.get("plan"))
        state = getattr(target, "state", None)
        indicator = REGISTRY.get(target.indicator_code)
        root = plan_unit(target.plan)  # the unit whose values judge the target
        trend = (
            selectors.value_trend(code=target.indicator_code, unit=root)
            if indicator and root
            else []
        )
        threshold = float(target.threshold) if target.threshold is not None else None
        return super().get_context_data(
            target=target,
            state=state,
            indicator=indicator,
            root=root,
            trend=trend,
            history=TargetStatusChange.objects.filter(target=target)[:20],
            trend_chart=charts.trend_chart(
                title=target.text[:20],
                years=[v.year for v in trend],
                values=[v.value for v in trend],
                unit=target.unit,
                threshold=threshold,
            ),
            **kwargs,
        )


class RecomputeView(LoginRequiredMixin, TemplateView):
    """The bureau starts a recompute; the page polls the job with htmx until it is done."""

    template_name = "indicators/recompute.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_bureau(request.user):
            raise Http404("无权操作。")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from .models import RecomputeJob

        # recomputes have a worker of their own: a job left waiting while none runs says that
        # worker is missing
        waited = timezone.now() - dt.timedelta(seconds=settings.RECOMPUTE_QUEUE_WARN_SECONDS)
        jobs = RecomputeJob.objects.all()
        stuck = (
            jobs.filter(status=RecomputeJob.Status.QUEUED, created_at__lt=waited).exists()
            and not jobs.filter(status=RecomputeJob.Status.RUNNING).exists()
        )
        return super().get_context_data(
            jobs=jobs[:10],
            stuck=stuck,
            stuck_minutes=max(1, round(settings.RECOMPUTE_QUEUE_WARN_SECONDS / 60)),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.htmx:
            return self.response_class(request, "indicators/_recompute_jobs.html", context)
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        from .jobs import recompute_start

        recompute_start(actor=request.user)
        return redirect("indicators:recompute")
