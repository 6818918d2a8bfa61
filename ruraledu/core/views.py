"""Base views: a detail view outside the user's scope answers 404, never 403."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView


class ScopedMixin(LoginRequiredMixin):
    """Applies `Model.objects.for_user(user, action)` to every queryset of the view."""

    scope_action = "view"

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.scope_action)


class ScopedDetailView(ScopedMixin, DetailView):
    pass


class ScopedListView(ScopedMixin, ListView):
    paginate_by = 50


class SchoolRecordListView(ListView):
    """A school's records for one school year: scoped, filtered, paginated; htmx gets the table."""

    paginate_by = 50
    partial_template_name = ""
    tab = ""

    def dispatch(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        from ruraledu.orgunits.registry import registry_context, school_for_page

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
