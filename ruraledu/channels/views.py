from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from . import selectors


class ChannelListView(LoginRequiredMixin, TemplateView):
    template_name = "channels/channel_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            channels=selectors.channel_list(user=user),
            problems=selectors.delivery_problem_list(user=user),
            can_edit=user.is_staff,
            **kwargs,
        )
