"""标准值: every standard the indicators read, and the bureau's edit page with its history."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from ruraledu.audit.models import AuditEvent
from ruraledu.core.views import add_refusal

from .models import Standard
from .standards_edit import (
    INSTALL,
    reading_place,
    standard_clear,
    standard_places,
    standard_row,
    standard_rows,
    standard_set,
)


class StandardForm(forms.Form):
    value = forms.FloatField(label="标准值", min_value=0)
    source = forms.CharField(label="依据", max_length=200)
    year = forms.IntegerField(label="标准年份", min_value=1990, max_value=2100, required=False)
    provisional = forms.BooleanField(label="待核定", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            checkbox = isinstance(field.widget, forms.CheckboxInput)
            field.widget.attrs["class"] = "form-check-input" if checkbox else "form-control"


def _place(request, places: list):
    """The unit whose values the page shows: `?unit=` among the user's places, else the first
    of them, else the install's (None)."""
    wanted = request.GET.get("unit") or request.POST.get("unit")
    for place in places:
        if place is not None and str(place.pk) == wanted:
            return place
    return places[0] if places else None


class StandardListView(LoginRequiredMixin, TemplateView):
    template_name = "indicators/standard_list.html"

    def get_context_data(self, **kwargs):
        places = standard_places(self.request.user)
        # one who sets none reads the values of their own district
        place = _place(self.request, places) if places else reading_place(self.request.user)
        return super().get_context_data(
            rows=standard_rows(place),
            can_edit=bool(places),
            place=place,
            places=[(p, p.name if p else INSTALL) for p in places],
            **kwargs,
        )


class StandardEditView(LoginRequiredMixin, FormView):
    """Edit one standard (the bureau only; others 404) and see every earlier change."""

    template_name = "indicators/standard_form.html"
    form_class = StandardForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        stage = "" if kwargs["stage"] == "all" else kwargs["stage"]
        places = standard_places(request.user)
        self.place = _place(request, places)
        self.row = standard_row(kwargs["code"], stage, self.place) if places else None
        if self.row is None:
            raise Http404("没有这项标准")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        r = self.row
        return {"value": r.value, "source": r.source, "year": r.year, "provisional": r.provisional}

    def get_context_data(self, **kwargs):
        history = (
            AuditEvent.objects.for_record(
                content_type=ContentType.objects.get_for_model(Standard),
                object_id=self.row.stored.pk,
            ).order_by("-at")
            if self.row.stored
            else AuditEvent.objects.none()
        )
        return super().get_context_data(row=self.row, history=history, place=self.place, **kwargs)

    def post(self, request, *args, **kwargs):
        if "clear" not in request.POST:
            return super().post(request, *args, **kwargs)
        try:
            standard_clear(
                actor=request.user, code=self.row.code, stage=self.row.stage, unit=self.place
            )
        except PermissionDenied:
            raise Http404("没有这项标准") from None
        except ValidationError as refused:  # cleared already (a second click): say so
            messages.info(request, "；".join(refused.messages) + "，使用的是上级标准值。")
            return self._back()
        messages.success(request, "已恢复使用上级标准值，指标正在后台重新计算。")
        return self._back()

    def _back(self):
        url = reverse("indicators:standard_list")
        return redirect(f"{url}?unit={self.place.pk}" if self.place else url)

    def form_valid(self, form):
        try:
            standard_set(
                actor=self.request.user,
                code=self.row.code,
                stage=self.row.stage,
                unit=self.place,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_refusal(form, error, Standard)
            return self.form_invalid(form)
        except PermissionDenied:
            raise Http404("没有这项标准") from None
        messages.success(self.request, "标准值已保存，指标正在后台重新计算。")
        return self._back()
