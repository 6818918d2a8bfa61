from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import UpdateView

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.personal_access import ChildReads, student_subject
from ruraledu.audit.utils import request_address
from ruraledu.core.schoolyear import year_param
from ruraledu.core.views import add_refusal
from ruraledu.orgunits.registry import SchoolRecordListView

from .forms import EnrolmentForm
from .models import Enrolment, StudentPerson
from .services import enrolment_update

CARE_FILTERS = {
    "left_behind": "留守儿童",
    "disability": "残疾",
    "struggling": "学困生",
    "far_unserved": "2公里以上未乘车",
    "lunch_unserved": "午餐需求未保障",
}


class EnrolmentListView(SchoolRecordListView):
    template_name = "students/enrolment_list.html"
    partial_template_name = "students/_enrolment_table.html"
    tab = "students"

    def get_queryset(self):
        rows = (
            Enrolment.objects.for_user(self.request.user)
            .filter(school=self.school, year=self.registry["year"])
            .select_related("person", "campus__org_unit", "mentor")
            # masked names in name order would hint at the hidden characters
            .order_by("grade", "class_name", "person__name" if self.clear_names else "pk")
        )
        params = self.request.GET
        # only where names are shown in full: else a search would confirm a guessed name
        if self.clear_names and (text := params.get("q", "").strip()[:30]):
            rows = rows.filter(person__name__contains=text)
        if (grade := params.get("grade", "")).isdecimal():
            rows = rows.filter(grade=int(grade))
        # a category filter lists who is in it: only where the categories are shown
        care = params.get("care", "") if self.clear_names else ""
        if care == "far_unserved":
            rows = rows.filter(boarding=False, distance_km__gt=2).exclude(
                transport__in=["school_bus", "public_bus"]
            )
        elif care == "lunch_unserved":
            rows = rows.filter(lunch_needed=True, lunch_served=False)
        elif care in CARE_FILTERS:
            rows = rows.filter(**{care: True})
        return rows

    @cached_property
    def clear_names(self) -> bool:
        # decided by the role held at this school, not by one held elsewhere
        return Reach(self.request.user, Action.VIEW_PERSONAL).covers(self.school.org_unit.path)

    def get_context_data(self, **kwargs):
        clear = self.clear_names
        context = super().get_context_data(
            care_filters=CARE_FILTERS if clear else {},
            grades=range(1, 13),
            clear_names=clear,
            **kwargs,
        )
        if clear:  # the page's names are shown in full: each child's read is logged
            ChildReads.of(self.request, "roster_list").save(
                student_subject(e.person_id) for e in context["object_list"]
            )
        return context


class EnrolmentEditView(LoginRequiredMixin, UpdateView):
    form_class = EnrolmentForm
    template_name = "students/enrolment_form.html"

    def get_queryset(self):
        return Enrolment.objects.for_user(self.request.user, Action.CHANGE).select_related(
            "person", "school__org_unit"
        )

    @cached_property
    def clear_names(self) -> bool:
        # in full only where the role at the school may see personal data (a town office
        # edits masked, and so without the child's categories)
        school = self.object.school.org_unit.path
        return Reach(self.request.user, Action.VIEW_PERSONAL).covers(school)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "clear_names": self.clear_names}

    def get_context_data(self, **kwargs):
        # the page names the pupil: a read logged as on the list where the name is in full
        clear = self.clear_names
        if clear:
            ChildReads.of(self.request, "roster_edit").save(
                [student_subject(self.object.person_id)]
            )
        return super().get_context_data(clear_names=clear, **kwargs)

    def form_valid(self, form):
        try:
            enrolment_update(
                enrolment=self.object,
                values={name: form.cleaned_data[name] for name in form.fields},
                actor=self.request.user,
                address=request_address(self.request),
            )
        except ValidationError as error:
            # the service re-reads the row under its lock: a change made since the form was
            # checked (a transfer confirmed a moment ago) can make the save invalid
            add_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "学籍信息已保存。")
        url = reverse("students:enrolment_list", args=[self.object.school.org_unit.code])
        return redirect(f"{url}?year={self.object.year}")


class StudentIdRevealView(LoginRequiredMixin, View):
    """Shows one student's clear ID number to a role that needs it, and logs the view.

    Asked from a roster row, so `?year=` names the year viewed: the number is shown only
    where that year's enrolment lies in the user's personal-data reach, as the roster
    decides clear names (a school the child has left answers for its own years only)."""

    def post(self, request, pk: int):
        year = year_param(request.GET.get("year"))
        allowed = Enrolment.objects.for_user(request.user, Action.VIEW_PERSONAL).filter(
            person_id=pk, year=year
        )
        if year is None or not allowed.exists():
            raise Http404("无权查看。")
        person = get_object_or_404(StudentPerson, pk=pk)
        ChildReads.of(request, "view").save([student_subject(pk)])
        return HttpResponse(person.id_number())
