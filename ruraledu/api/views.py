"""The API endpoints. Every queryset goes through the same scoping as the pages: a record the
user cannot open is missing from lists and a 404 on its own."""

import hashlib
from pathlib import PurePosixPath

from django.db.models import Count, Max, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.choices import AuditAction
from ruraledu.audit.personal_access import ChildReads
from ruraledu.audit.services import audit_record, snapshot
from ruraledu.audit.utils import request_address
from ruraledu.indicators.engine import REGISTRY
from ruraledu.indicators.jobs import recompute_start
from ruraledu.indicators.models import IndicatorValue, TargetState, TargetStatusChange
from ruraledu.orgunits.models import OrgUnit, School
from ruraledu.plans.models import Project, Section, Target
from ruraledu.plans.selectors import plan_get_current
from ruraledu.reporting.models import ProgressReport, ReportingPeriod
from ruraledu.spreadsheets.base import get_importer
from ruraledu.spreadsheets.exporting import import_copy_logged
from ruraledu.spreadsheets.models import ImportJob
from ruraledu.spreadsheets.safety import UploadRefused, check_upload
from ruraledu.spreadsheets.services import import_job_create
from ruraledu.students.models import Enrolment
from ruraledu.workforce.models import Post

from . import dhis2
from . import serializers as s
from .base import BodyLimitMixin

ERROR = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(required=False),
            },
        )
    },
)


def _param(name: str, description: str, type_=str) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description)


def _year(request) -> int | None:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return None
    if not raw.isdecimal() or len(raw) != 4:
        raise serializers.ValidationError({"year": ["学年应为四位数字，如 2024。"]})
    return int(raw)


class ListView(BodyLimitMixin, generics.ListAPIView):
    pass


class DetailView(BodyLimitMixin, generics.RetrieveAPIView):
    pass


# ------------------------------------------------------------------ org tree


class UnitList(ListView):
    """The org units the user may open (their subtree), filtered by parent or kind."""

    serializer_class = s.OrgUnitSerializer

    @extend_schema(
        parameters=[_param("parent", "上级单位代码"), _param("kind", "单位类型")],
        responses={200: s.OrgUnitSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        units = OrgUnit.objects.for_user(self.request.user).select_related("parent")
        if parent := self.request.query_params.get("parent"):
            units = units.filter(parent__code=parent)
        if kind := self.request.query_params.get("kind"):
            units = units.filter(kind=kind)
        return units.order_by("path")


class UnitDetail(DetailView):
    serializer_class = s.OrgUnitSerializer
    lookup_field = "code"

    def get_queryset(self):
        return OrgUnit.objects.for_user(self.request.user).select_related("parent")


class SchoolList(ListView):
    serializer_class = s.SchoolSerializer

    @extend_schema(parameters=[_param("under", "只列该单位（含下级）的学校，单位代码")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        schools = School.objects.for_user(self.request.user).select_related("org_unit__parent")
        if under := self.request.query_params.get("under"):
            unit = OrgUnit.objects.for_user(self.request.user).filter(code=under).first()
            if unit is None:
                raise Http404
            schools = schools.filter(org_unit__path__startswith=unit.path)
        return schools.order_by("org_unit__path")


class SchoolDetail(DetailView):
    serializer_class = s.SchoolSerializer

    def get_object(self):
        return get_object_or_404(
            School.objects.for_user(self.request.user).select_related("org_unit__parent"),
            org_unit__code=self.kwargs["code"],
        )


# ------------------------------------------------------------------ registry: staff and pupils


REGISTRY_FILTERS = [
    _param("school", "学校代码（只列该校）"),
    _param("year", "学年的起始年份，如 2024", int),
]


def registry_rows(request, queryset):
    """A school's yearly records as its registry page lists them: the same scope (a school the
    user cannot open is a 404), filtered by school and year."""
    rows = queryset.for_user(request.user)
    if code := request.query_params.get("school"):
        school = School.objects.for_user(request.user).filter(org_unit__code=code).first()
        if school is None:
            raise Http404
        rows = rows.filter(school=school)
    if (year := _year(request)) is not None:
        rows = rows.filter(year=year)
    return rows


class StaffMixin:
    serializer_class = s.PostSerializer

    def get_queryset(self):
        return registry_rows(
            self.request, Post.objects.select_related("person", "school__org_unit")
        ).order_by("school__org_unit__path", "year", "position", "person__name", "pk")


class StaffList(StaffMixin, ListView):
    """Staff posts of the schools the user may open, as the schools' staff pages show them."""

    @extend_schema(parameters=REGISTRY_FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StaffDetail(StaffMixin, DetailView):
    pass


class PupilMixin:
    """Pupils as the schools' student pages show them: names in full only where the user's
    role there may see personal data, ID numbers masked; each name shown in full is logged."""

    serializer_class = s.EnrolmentSerializer

    def get_queryset(self):
        rows = registry_rows(
            self.request,
            Enrolment.objects.select_related("person", "school__org_unit", "campus__org_unit"),
        )
        if (grade := self.request.query_params.get("grade", "")) != "":
            if not grade.isdecimal():
                raise serializers.ValidationError({"grade": ["年级应为 1 到 12 的整数。"]})
            rows = rows.filter(grade=int(grade))
        return rows.order_by("school__org_unit__path", "year", "grade", "class_name", "pk")

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "personal": Reach(self.request.user, Action.VIEW_PERSONAL),
        }

    def log_clear(self, enrolments) -> None:
        ChildReads.of(self.request, "api").save(enrolments)


class PupilList(PupilMixin, ListView):
    @extend_schema(
        parameters=[*REGISTRY_FILTERS, _param("grade", "年级（1–12）", int)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.log_clear(page)
        return page


class PupilDetail(PupilMixin, DetailView):
    def get_object(self):
        enrolment = super().get_object()
        self.log_clear([enrolment])
        return enrolment


# ------------------------------------------------------------------ the plan (every signed-in user)


class SectionList(ListView):
    serializer_class = s.SectionSerializer

    def get_queryset(self):
        return Section.objects.filter(plan=plan_get_current(self.request.user)).order_by("number")


class ProjectList(ListView):
    serializer_class = s.ProjectSerializer

    def get_queryset(self):
        return (
            Project.objects.filter(plan=plan_get_current(self.request.user))
            .select_related("section")
            .order_by("number")
        )


class TargetList(ListView):
    serializer_class = s.TargetSerializer

    @extend_schema(parameters=[_param("project", "重点项目序号", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        targets = Target.objects.filter(plan=plan_get_current(self.request.user)).select_related(
            "project", "section"
        )
        project = self.request.query_params.get("project", "")
        if project:
            if not project.isdecimal():
                raise serializers.ValidationError({"project": ["重点项目序号应为整数。"]})
            targets = targets.filter(project__number=int(project))
        return targets.order_by("due_date", "code")


class TargetStateList(ListView):
    serializer_class = s.TargetStateSerializer

    def get_queryset(self):
        return (
            TargetState.objects.filter(target__plan=plan_get_current(self.request.user))
            .select_related("target")
            .order_by("target__due_date", "target__code")
        )


class TargetStatusChangeList(ListView):
    serializer_class = s.TargetStatusChangeSerializer

    @extend_schema(parameters=[_param("target", "目标代码")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        changes = TargetStatusChange.objects.filter(
            target__plan=plan_get_current(self.request.user)
        ).select_related("target")
        if target := self.request.query_params.get("target"):
            changes = changes.filter(target__code=target)
        return changes.order_by("-changed_at", "-pk")


# ------------------------------------------------------------------ indicators


class IndicatorList(BodyLimitMixin, APIView):
    """The indicator registry: what each code measures (口径), numerator and denominator."""

    @extend_schema(responses={200: s.IndicatorDefinitionSerializer(many=True)})
    def get(self, request):
        indicators = sorted(REGISTRY.values(), key=lambda i: i.code)
        return Response(s.IndicatorDefinitionSerializer(indicators, many=True).data)


class IndicatorDetail(BodyLimitMixin, APIView):
    @extend_schema(responses={200: s.IndicatorDefinitionSerializer, 404: ERROR})
    def get(self, request, code: str):
        if code not in REGISTRY:
            raise Http404
        return Response(s.IndicatorDefinitionSerializer(REGISTRY[code]).data)


VALUE_FILTERS = [
    _param("code", "指标代码"),
    _param("unit", "单位代码（只取该单位）"),
    _param("under", "单位代码（该单位及全部下级）"),
    _param("year", "学年的起始年份，如 2024", int),
]


def scoped_values(request):
    """Stored values of the units the user may open, filtered by code, unit, subtree, year."""
    values = IndicatorValue.objects.filter(
        unit__in=OrgUnit.objects.for_user(request.user)
    ).select_related("unit")
    params = request.query_params
    if code := params.get("code"):
        values = values.filter(code=code)
    if unit := params.get("unit"):
        values = values.filter(unit__code=unit)
    if under := params.get("under"):
        root = OrgUnit.objects.for_user(request.user).filter(code=under).first()
        if root is None:
            raise Http404
        values = values.filter(unit__path__startswith=root.path)
    if (year := _year(request)) is not None:
        values = values.filter(year=year)
    return values


def values_etag(request, values) -> str:
    """Changes whenever a value in the selection is recomputed, added or removed."""
    # the sums catch a value written without a new computed_at (an edit in the admin)
    summary = values.aggregate(
        n=Count("pk"),
        last=Max("computed_at"),
        top=Max("pk"),
        v=Sum("value"),
        num=Sum("numerator"),
        den=Sum("denominator"),
    )
    seed = "|".join([request.get_full_path(), *(str(summary[k]) for k in sorted(summary))])
    return f'W/"{hashlib.sha256(seed.encode()).hexdigest()[:32]}"'


def with_etag(request, values, build) -> Response:
    etag = values_etag(request, values)
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    response = build()
    response["ETag"] = etag
    return response


class ValueList(ListView):
    """Stored indicator values with numerator and denominator. Send the ETag back in
    If-None-Match: 304 (no body) while nothing in the selection has changed."""

    serializer_class = s.IndicatorValueSerializer

    @extend_schema(
        parameters=VALUE_FILTERS,
        responses={200: s.IndicatorValueSerializer(many=True), 304: None},
    )
    def get(self, request, *args, **kwargs):
        return with_etag(request, self.get_queryset(), lambda: super(ValueList, self).get(request))

    def get_queryset(self):
        return scoped_values(self.request).order_by("code", "unit__path", "year")


# ------------------------------------------------------------------ reporting


class PeriodList(ListView):
    serializer_class = s.ReportingPeriodSerializer

    def get_queryset(self):
        return ReportingPeriod.objects.filter(
            project__plan=plan_get_current(self.request.user)
        ).select_related("project")


class ReportList(ListView):
    """Report states of the reports the user may open (as on the reporting pages)."""

    serializer_class = s.ProgressReportSerializer

    @extend_schema(parameters=[_param("period", "报告期编号", int), _param("status", "状态")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        reports = ProgressReport.objects.for_user(self.request.user).select_related(
            "org_unit", "department"
        )
        period = self.request.query_params.get("period", "")
        if period:
            if not period.isdecimal():
                raise serializers.ValidationError({"period": ["报告期编号应为整数。"]})
            reports = reports.filter(period_id=int(period))
        if state := self.request.query_params.get("status"):
            reports = reports.filter(status=state)
        return reports.order_by("-period__starts_on", "pk")


class ReportDetail(DetailView):
    serializer_class = s.ProgressReportSerializer

    def get_queryset(self):
        return ProgressReport.objects.for_user(self.request.user).select_related(
            "org_unit", "department"
        )


# ------------------------------------------------------------------ imports and recompute


def _error_lists_read(request, jobs) -> None:
    """A job's error list quotes the cells as typed (ID numbers, names): a superuser reading
    another's upload is logged, as on the page."""
    for job in jobs:
        if job.errors:
            import_copy_logged(job, request.user, request_address(request), what="错误列表")


class ImportJobList(BodyLimitMixin, generics.ListCreateAPIView):
    """The user's own import jobs and their results; POST uploads a file (multipart) and
    queues it through the same import machinery, with the same checks, as the upload page."""

    serializer_class = s.ImportJobSerializer

    def get_queryset(self):
        return ImportJob.objects.for_user(self.request.user).order_by("-created_at", "-pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _error_lists_read(self.request, queryset if page is None else page)
        return page

    @extend_schema(
        request={"multipart/form-data": s.ImportUploadSerializer},
        responses={202: s.ImportJobSerializer, 400: ERROR, 403: ERROR, 413: ERROR},
    )
    def post(self, request):
        body = s.ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kind, upload = body.validated_data["kind"], body.validated_data["file"]
        try:
            get_importer(kind)
        except KeyError:
            raise serializers.ValidationError({"kind": [f"未知的数据类型“{kind}”。"]}) from None
        data = upload.read()
        try:
            check_upload(data, upload.name)
        except UploadRefused as exc:
            raise serializers.ValidationError({"file": [exc.message]}) from None
        job = import_job_create(
            kind=kind,
            data=data,
            filename=PurePosixPath(upload.name).name,
            year=body.validated_data["year"],
            user=request.user,
            address=request_address(request),
            summary="通过接口上传导入文件",
        )
        return Response(s.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportJobDetail(DetailView):
    serializer_class = s.ImportJobSerializer

    def get_queryset(self):
        return ImportJob.objects.for_user(self.request.user)

    def get_object(self):
        job = super().get_object()
        _error_lists_read(self.request, [job])
        return job


class Recompute(BodyLimitMixin, APIView):
    """Start a recompute of every indicator (the bureau only)."""

    @extend_schema(
        request=s.RecomputeSerializer,
        responses={202: s.RecomputeJobSerializer, 400: ERROR, 403: ERROR},
    )
    def post(self, request):
        s.RecomputeSerializer(data=request.data or {}).is_valid(raise_exception=True)
        job = recompute_start(actor=request.user)
        audit_record(
            actor=request.user,
            instance=job,
            action=AuditAction.CREATE,
            after=snapshot(job, ["reason", "years"]),
            summary="通过接口发起重新计算",
            address=request_address(request),
        )
        return Response(s.RecomputeJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


# ------------------------------------------------------------------ DHIS2 data exchange


class DataValueSets(BodyLimitMixin, APIView):
    """DHIS2 dataValueSets: GET exports the stored values the user may open; POST imports
    values for units the user may change, all or nothing."""

    @extend_schema(
        operation_id="dhis2_data_value_sets_export",
        parameters=VALUE_FILTERS,
        responses={200: OpenApiTypes.OBJECT, 304: None},
    )
    def get(self, request):
        values = scoped_values(request)
        return with_etag(request, values, lambda: Response(dhis2.export_value_set(values)))

    @extend_schema(
        operation_id="dhis2_data_value_sets_import",
        request=s.DataValueSetSerializer,
        responses={
            200: inline_serializer(
                "ImportCount",
                {
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "unchanged": serializers.IntegerField(),
                },
            ),
            400: OpenApiResponse(ERROR, description="有任何错误都不写入"),
        },
    )
    def post(self, request):
        body = s.DataValueSetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = dhis2.import_value_set(
            user=request.user,
            data_values=body.validated_data["dataValues"],
            address=request_address(request),
        )
        return Response(result)


# ------------------------------------------------------------------ unknown paths


@extend_schema(exclude=True)
class UnknownPath(APIView):
    """Any other path under /api/: the JSON 404 of every API error, not the site's HTML page.
    Signed-in only, as the schema is: to anyone else every path answers 401 alike, so the
    API's map cannot be read off the answers."""

    permission_classes = [permissions.IsAuthenticated]

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound(f"没有这个接口地址：{request.path}（可用的接口见 /api/docs/）。")

    options = http_method_not_allowed
