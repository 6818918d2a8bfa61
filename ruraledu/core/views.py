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


def labelled_errors(form) -> list[str]:
    """A form's errors, each after its field's label: "该字段是必填项" alone, shown as a
    message above the page, does not say which field."""
    return [
        f"{form.fields[name].label}：{error}" if name in form.fields else error
        for name, errors in form.errors.items()
        for error in errors
    ]
