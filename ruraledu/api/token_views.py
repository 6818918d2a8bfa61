"""The token page of one's own account: create (the secret shown once), list, revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from .tokens import MAX_DAYS, TokenRefused, token_create, token_revoke, tokens_of


class TokenForm(forms.Form):
    name = forms.CharField(
        label="名称",
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "用途，如市局数据交换"}
        ),
    )
    days = forms.IntegerField(
        label="有效天数",
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    can_write = forms.TypedChoiceField(
        label="权限",
        choices=[("0", "只读"), ("1", "读写（导入、重算）")],
        coerce=lambda v: v == "1",
        initial="0",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, may_write: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_write:
            # a read-write token would write nothing for a user who may change nothing
            self.fields["can_write"].choices = [("0", "只读")]


def may_write(user) -> bool:
    """Whether a write token could do anything for `user`: the API's writes are imports (each
    kind under its own action) and DHIS2 data values (change)."""
    from ruraledu.accounts.scoping import can
    from ruraledu.spreadsheets.base import IMPORTERS

    actions = {"change"} | {importer.upload_action for importer in IMPORTERS.values()}
    return any(can(user, action) for action in actions)


class TokenListView(LoginRequiredMixin, View):
    template_name = "api/tokens.html"

    def get(self, request):
        return self._page(request, TokenForm(may_write=may_write(request.user)))

    def post(self, request):
        form = TokenForm(request.POST, may_write=may_write(request.user))
        secret = None
        if form.is_valid():
            try:
                _, secret = token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    can_write=form.cleaned_data["can_write"],
                )
            except TokenRefused as exc:
                form.add_error(None, exc.message)
            else:
                form = TokenForm(may_write=may_write(request.user))
        return self._page(request, form, secret=secret)

    def _page(self, request, form, secret=None):
        return render(
            request,
            self.template_name,
            {"form": form, "secret": secret, "tokens": tokens_of(request.user)},
        )


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        token = token_revoke(user=request.user, pk=pk)
        messages.success(request, f"已吊销令牌“{token.name}”。")
        return redirect("api:tokens")
