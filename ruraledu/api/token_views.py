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


class TokenListView(LoginRequiredMixin, View):
    template_name = "api/tokens.html"

    def get(self, request):
        return self._page(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
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
                form = TokenForm()
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
