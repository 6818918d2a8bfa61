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
