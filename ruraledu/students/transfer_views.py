"""Transfer pages: the receiving school asks, the sending school (or the bureau) decides."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import ListView

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.audit.personal_access import ChildReads, student_subject
from ruraledu.audit.utils import request_address
from ruraledu.core.schoolyear import current_school_year
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import School

from . import services
from .choices import TransferStatus
from .forms import TransferRequestForm
from .models import Transfer


def _schools_to_receive(user):
    return (
        School.objects.for_user(user, Action.CHANGE)
        .filter(org_unit__kind=OrgUnitKind.SCHOOL)
        .select_related("org_unit")
        .order_by("org_unit__path")
    )


class TransferListView(LoginRequiredMixin, ListView):
    """Requests to and from the user's schools; a form to ask for a pupil."""

    template_name = "students/transfer_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Transfer.objects.for_user(self.request.user).select_related(
            "person", "from_school__org_unit", "to_school__org_unit", "requested_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        personal = Reach(user, Action.VIEW_PERSONAL)
        for transfer in context["object_list"]:
            transfer.clear_name = personal.covers(
                transfer.from_school.org_unit.path
            ) or personal.covers(transfer.to_school.org_unit.path)
            transfer.may_decide = services.may_decide(user, transfer)
            transfer.may_cancel = services.may_cancel(user, transfer)
        # the pupils named in full are logged, as on the school's roster
        ChildReads.of(self.request, "transfer_list").save(
            student_subject(t.person_id) for t in context["object_list"] if t.clear_name
        )
        schools = _schools_to_receive(user)
        context["form"] = kwargs.get("form") or (
            TransferRequestForm(schools=schools) if schools.exists() else None
        )
        context["year"] = current_school_year()
        context["open"] = TransferStatus.REQUESTED
        return context

    def post(self, request):
        self.object_list = self.get_queryset()
        form = TransferRequestForm(request.POST, schools=_schools_to_receive(request.user))
        if form.is_valid():
            try:
                services.transfer_request(
                    actor=request.user,
                    year=current_school_year(),
                    address=request_address(request),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error)  # field errors land on their fields
            else:
                messages.success(request, "转学申请已提交，待转出学校确认。")
                return redirect("students:transfer_list")
        return self.render_to_response(self.get_context_data(form=form))


class TransferDecideView(LoginRequiredMixin, View):
    """POST confirm / decline / cancel on one request the user can see (else 404)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        transfer = get_object_or_404(Transfer.objects.for_user(request.user), pk=pk)
        action = request.POST.get("action")
        who = {"transfer": transfer, "actor": request.user, "address": request_address(request)}
        try:
            if action == "confirm":
                services.transfer_confirm(**who)
                messages.success(request, "已确认转学，学籍已转入对方学校。")
            elif action == "decline":
                services.transfer_decline(**who, reason=request.POST.get("reason", ""))
                messages.success(request, "已答复不同意转学。")
            elif action == "cancel":
                services.transfer_cancel(**who)
                messages.success(request, "已撤回转学申请。")
            else:
                messages.error(request, "未知的操作。")
        except (ValidationError, PermissionDenied) as error:
            text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        return redirect("students:transfer_list")
