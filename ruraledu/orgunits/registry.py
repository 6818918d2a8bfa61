"""A school's registry pages: the school a page is about, found within the user's scope (404
outside it), the page's year and tabs, and the base view of a school's yearly records."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django.views.generic import ListView

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


class SchoolRecordListView(ListView):
    """A school's records for one school year: scoped, filtered, paginated; htmx gets the table."""

    paginate_by = 50
    partial_template_name = ""
    tab = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.school = school_for_page(request, kwargs["code"])
        self.registry = registry_context(request, self.school)
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        if self.request.htmx and self.partial_template_name:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            tab=self.tab, query_string=params.urlencode(), **self.registry, **kwargs
        )
