from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from ruraledu.audit.utils import request_address
from ruraledu.core.views import add_refusal
from ruraledu.orgunits.registry import registry_context, school_for_page

from .forms import FacilityForm
from .models import FacilityRecord, TitleAward
from .services import facility_record_save


class FacilityDetailView(LoginRequiredMixin, TemplateView):
    template_name = "facilities/facility_detail.html"

    def get_context_data(self, **kwargs):
        school = school_for_page(self.request, self.kwargs["code"])
        context = registry_context(self.request, school)
        record = FacilityRecord.objects.filter(school=school, year=context["year"]).first()
        fields = [
            (f.verbose_name, f.value_to_string(record) if record else "", f)
            for f in FacilityRecord._meta.fields
            if f.name not in ("id", "school", "year")
        ]
        rows = []
        for label, _, field in fields:
            value = getattr(record, field.name) if record else None
            if isinstance(value, bool):
                value = "是" if value else "否"
            elif field.choices and record:
                value = getattr(record, f"get_{field.name}_display")()
            rows.append((label, value))
        titles = TitleAward.objects.filter(school=school).order_by("kind", "level")
        return super().get_context_data(
            record=record, rows=rows, titles=titles, tab="facilities", **context, **kwargs
        )


class FacilityEditView(LoginRequiredMixin, TemplateView):
    template_name = "facilities/facility_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.school = school_for_page(request, kwargs["code"], "change")
        self.context = registry_context(request, self.school)
        self.record = FacilityRecord.objects.filter(
            school=self.school, year=self.context["year"]
        ).first()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", FacilityForm(instance=self.record))
        return super().get_context_data(tab="facilities", **self.context, **kwargs)

    def post(self, request, *args, **kwargs):
        record = self.record or FacilityRecord(school=self.school, year=self.context["year"])
        form = FacilityForm(request.POST, instance=record)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            facility_record_save(
                school=self.school,
                year=self.context["year"],
                values={name: form.cleaned_data[name] for name in form.fields},
                actor=request.user,
                address=request_address(request),
            )
        except ValidationError as error:
            add_refusal(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, "办学条件已保存。")
        url = reverse("facilities:facility_detail", args=[self.school.org_unit.code])
        return redirect(f"{url}?year={self.context['year']}")
