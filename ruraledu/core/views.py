"""Base views: a detail view outside the user's scope answers 404, never 403; a refused step
of a page comes back on its own form."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.views.generic import DetailView, ListView

from .versions import reoffered


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


def labelled(error, model):
    """A model's full_clean refusal with each message after its field's label, as
    labelled_errors does for a form; any other refusal unchanged."""
    if not hasattr(error, "error_dict"):
        return error
    labels = {f.name: f.verbose_name for f in model._meta.fields}
    return ValidationError(
        [
            f"{labels[name]}：{message}" if name in labels else message
            for name, texts in error.message_dict.items()
            for message in texts
        ]
    )


def add_refusal(form, error, model=None) -> None:
    """A service's refusal shown above the form. Field-keyed errors (a model's full_clean)
    name fields the form may not have, so each message goes on the form as a whole,
    after its field's label when the model is given."""
    for message in (labelled(error, model) if model else error).messages:
        form.add_error(None, message)


@dataclass
class StepRefused:
    """A step the service refused: the page shows the reason on that step's form, with what
    was typed, so nothing has to be typed again (a stale save also takes the current
    version, see core.versions)."""

    step: str
    reason: str
    typed: QueryDict

    @classmethod
    def of(cls, step: str, exc, post: QueryDict) -> "StepRefused":
        if isinstance(exc, ValidationError):
            shown, post = reoffered(post, exc)
            text = "；".join(shown)
        else:
            text = str(exc)
        return cls(step=step, reason=text or "您无权办理这一步。", typed=post)

    def unless_shown(self, request, shown: bool) -> None:
        """A step whose form is not on the page (no longer allowed) says why at the top."""
        if not shown:
            messages.error(request, self.reason)
            self.step = ""
