"""名师课堂 / 送教送研 / 公开课 / 示范课 on a phone: pick the school, then the teacher posted there."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from ruraledu.activities.choices import LessonKind
from ruraledu.audit.utils import request_address
from ruraledu.core.schoolyear import (
    current_school_year,
    form_day,
    school_year_bounds,
    school_year_label,
    school_year_of,
)
from ruraledu.core.views import StepRefused
from ruraledu.orgunits.models import School

from . import services
from .views import _date


def _school(request, value):
    """The chosen school, or a 404 when it is not one the user may record at."""
    if not value:
        return None
    try:
        pk = int(value)
    except ValueError:
        raise Http404("没有找到该学校。") from None
    school = School.objects.select_related("org_unit").filter(pk=pk).first()
    if school is None or not services.may_record_lesson(request.user, school):
        raise Http404("没有找到该学校。")
    return school


class LessonRecordView(LoginRequiredMixin, View):
    def get(self, request):
        return self.show(request, _school(request, request.GET.get("school")))

    @staticmethod
    def show(request, school, refused: StepRefused | None = None):
        """The page; after a refused record, with its reason and what was typed."""
        schools = services.lesson_schools(request.user).select_related("org_unit")
        if school is None and len(schools) == 1:
            school = schools[0]
        # the roster of the platform's current school year; the date starts at today while
        # that year runs, else blank (a lesson given today is not filed under its last day).
        # lesson_record checks the roster of the year the date falls in, so the date goes up
        # to today and no further than that year's last day: once today's year has begun but
        # nobody has started it on the platform, its lessons wait for it (the page says so)
        year = current_school_year()
        today = timezone.localdate()
        last = school_year_bounds(year)[1]
        teachers = services.lesson_teachers(school, year) if school else []
        if refused:
            refused.unless_shown(request, bool(teachers))
        return render(
            request,
            "supervision/lessons.html",
            {
                "schools": schools.order_by("org_unit__path"),
                "school": school,
                "teachers": teachers,
                "kinds": LessonKind.choices,
                "form_day": form_day(year),
                "year_label": school_year_label(year),
                "day_max": min(today, last),
                "due_label": (school_year_label(school_year_of(today)) if today > last else None),
                "recent": services.lessons_recorded_by(request.user),
                "refused": refused,
            },
            status=400 if refused else 200,
        )

    def post(self, request):
        school = _school(request, request.POST.get("school"))
        if school is None:
            raise Http404("没有找到该学校。")
        post = request.POST
        try:
            services.lesson_record(
                actor=request.user,
                school=school,
                held_on=_date(post.get("held_on"), what="上课日期"),
                teacher_id=post.get("teacher") or None,
                kind=post.get("kind", ""),
                title=post.get("title", ""),
                address=request_address(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            return self.show(request, school, StepRefused.of("lesson", exc, post))
        messages.success(request, "课堂记录已保存。")
        return redirect(f"{reverse('supervision:lesson_record')}?school={school.pk}")
