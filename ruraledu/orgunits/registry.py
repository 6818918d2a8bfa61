"""The school a registry page is about, found within the user's scope (404 outside it)."""

from django.http import Http404
from django.urls import reverse

from ruraledu.core.kinds import registry_tabs
from ruraledu.core.models import SchoolYear
from ruraledu.core.schoolyear import year_from_request

from .models import School


def school_for_page(request, code: str, action: str = "view") -> School:
    try:
        return (
            School.objects.for_user(request.user, action)
            .select_related("org_unit")
            .get(org_unit__code=code)
        )
    except School.DoesNotExist as exc:
        raise Http404("没有这个学校，或不在您的权限范围内。") from exc


def registry_context(request, school: School) -> dict:
    year = year_from_request(request)
    years = sorted({year, *SchoolYear.objects.values_list("year", flat=True)}, reverse=True)
    can_change = School.objects.for_user(request.user, "change").filter(pk=school.pk).exists()
    return {
        "school": school,
        "unit": school.org_unit,
        "year": year,
        "years": years,
        "can_change": can_change,
        # the declared yearly kinds shown as tabs: (key, label, link without the year)
        "registry_tabs": [
            (tab.key, tab.label, reverse(tab.url_name, args=[school.org_unit.code]))
            for _kind, tab in registry_tabs()
        ],
    }
