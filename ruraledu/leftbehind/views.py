"""留守与困境儿童关爱 pages: the counts per town and school (every role that sees the unit),
the children with names (care roles only, each name shown logged as a personal-data read), a
child's page with the mentor and contact forms (each calls one service), and the 关爱室 log."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from ruraledu.accounts.choices import Action
from ruraledu.accounts.policy import Reach
from ruraledu.accounts.scoping import can
from ruraledu.audit.utils import request_address

# the care app's access log: one row per child shown by name, read per child by the bureau
from ruraledu.care.exports import watermark
from ruraledu.care.growth_views import log_pupil_reads
from ruraledu.core.params import int_param
from ruraledu.core.schoolyear import current_school_year, form_day, year_param
from ruraledu.core.views import add_refusal
from ruraledu.orgunits.choices import OrgUnitKind
from ruraledu.orgunits.models import School
from ruraledu.spreadsheets.export import export_response

from . import exports, forms, selectors, services
from .choices import HARDSHIP_FLAGS
from .models import RoomActivity
from .permissions import sees_hardship
from .terms import as_of, term_label


def _require(user, action: str) -> None:
    if not can(user, action):
        raise Http404("没有找到该页面。")


def _unit_param(request) -> int | None:
    return int_param(request.GET.get("unit"))


def _categories(enrolment, hardship: bool) -> list[str]:
    """The child's categories as the viewer may see them: the hardship ones only with
    personal-data rights at the school."""
    labels = ["留守儿童"] if enrolment.left_behind else []
    others = [
        str(enrolment._meta.get_field(flag).verbose_name)
        for flag in HARDSHIP_FLAGS
        if getattr(enrolment, flag)
    ]
    if others:
        labels += others if hardship else ["困境（详情限学校和区级专干查看）"]
    return labels


class OverviewView(LoginRequiredMixin, View):
    """Counts only: children on the list, with a mentor, contacted this term, per town (and the
    schools of one town)."""

    def get(self, request):
        _require(request.user, Action.VIEW)
        year = year_param(request.GET.get("year")) or current_school_year()
        context = selectors.dashboard_contacts(user=request.user, year=year)
        town_id = _unit_param(request)
        town = next((t for t in context["towns"] if t["id"] == town_id), None)
        if town is None and len(context["towns"]) == 1:
            town = context["towns"][0]
        context.update(
            year=year,
            town=town,
            term=term_label(context["as_of"]),
            works=can(request.user, Action.CARE),
        )
        return render(request, "leftbehind/overview.html", context)


SHOW = {"": "全部", "nocontact": "本学期未联系", "nomentor": "未配成长导师"}


class ChildListView(LoginRequiredMixin, View):
    """The children on the care list, with mentor and last contact; care roles only."""

    def get(self, request):
        _require(request.user, Action.CARE)
        year = year_param(request.GET.get("year")) or current_school_year()
        unit_id = _unit_param(request)
        show = request.GET.get("show", "")
        show = show if show in SHOW else ""
        children = selectors.child_list(user=request.user, year=year, unit_id=unit_id)
        if request.GET.get("format") == "xlsx":
            return _export(request, year, _shown(children, show))
        counts = {
            "": children.count(),
            "nocontact": children.filter(last_contact__isnull=True).count(),
            "nomentor": children.filter(mentor__isnull=True).count(),
        }
        children = _shown(children, show)
        page = Paginator(children, 50).get_page(request.GET.get("page"))
        for child in page.object_list:
            child.categories = _categories(
                child, sees_hardship(request.user, child.school.org_unit.path)
            )
        log_pupil_reads(request, [c.person_id for c in page.object_list], "leftbehind_list")
        return render(
            request,
            "leftbehind/child_list.html",
            {
                "page_obj": page,
                "year": year,
                "unit": unit_id or "",
                "show": show,
                "filters": [(key, label, counts[key]) for key, label in SHOW.items()],
                "term": term_label(as_of(year)),
            },
        )


def _shown(children, show: str):
    if show == "nocontact":
        return children.filter(last_contact__isnull=True)
    if show == "nomentor":
        return children.filter(mentor__isnull=True)
    return children


def _export(request, year: int, children):
    """The list as filtered on the page, as Excel: watermarked, every child logged as read."""
    children = list(children)
    for child in children:
        child.categories = _categories(
            child, sees_hardship(request.user, child.school.org_unit.path)
        )
    log_pupil_reads(request, [c.person_id for c in children], "leftbehind_export")
    return export_response(
        filename_zh=f"留守与困境儿童关爱名单（{year}学年）{timezone.localdate():%Y%m%d}",
        columns=exports.COLUMNS,
        rows=exports.child_rows(children),
        sheet_title="关爱名单",
        watermark=watermark(request.user),
    )


def _child(request, pk: int):
    _require(request.user, Action.CARE)
    child = selectors.child_get(user=request.user, pk=pk)
    if child is None:
        raise Http404("没有找到该学生。")
    return child


def _render_child(request, child, mentor_form=None, contact_form=None, status=200):
    staff = services.school_staff(school=child.school, year=child.year)
    log_pupil_reads(request, [child.person_id], "leftbehind_view")
    return render(
        request,
        "leftbehind/child_detail.html",
        {
            "child": child,
            "categories": _categories(
                child, sees_hardship(request.user, child.school.org_unit.path)
            ),
            "mentor_form": mentor_form
            or forms.MentorForm(staff=staff, initial={"mentor": child.mentor_id}),
            # a contact belongs to the enrolment's year: once it has ended, its last day
            "contact_form": contact_form or forms.ContactForm(initial={"on": form_day(child.year)}),
            "contacts": selectors.contacts_of(user=request.user, person_id=child.person_id),
            "term": term_label(as_of(child.year)),
        },
        status=status,
    )


class ChildDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        return _render_child(request, _child(request, pk))


def _run(request, form, call) -> bool:
    """Call the service; a refusal out of scope is not found, a rule broken goes on the form."""
    try:
        call()
    except PermissionDenied as error:
        raise Http404("没有找到该学生。") from error
    except ValidationError as error:
        add_refusal(form, error)
        return False
    return True


class MentorAssignView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        child = _child(request, pk)
        staff = services.school_staff(school=child.school, year=child.year)
        form = forms.MentorForm(request.POST, staff=staff)
        if form.is_valid() and _run(
            request,
            form,
            lambda: services.mentor_assign(
                enrolment=child,
                mentor=form.cleaned_data["mentor"],
                actor=request.user,
                address=request_address(request),
            ),
        ):
            messages.success(request, "成长导师已保存。")
            return redirect("leftbehind:child_detail", pk=child.pk)
        return _render_child(request, child, mentor_form=form, status=400)


class ContactAddView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        child = _child(request, pk)
        form = forms.ContactForm(request.POST)
        if form.is_valid() and _run(
            request,
            form,
            lambda: services.contact_add(
                enrolment=child,
                actor=request.user,
                address=request_address(request),
                **form.cleaned_data,
            ),
        ):
            messages.success(request, "联系记录已保存。")
            return redirect("leftbehind:child_detail", pk=child.pk)
        return _render_child(request, child, contact_form=form, status=400)


def _care_schools(user):
    return (
        School.objects.for_user(user, Action.CARE)
        .filter(org_unit__kind=OrgUnitKind.SCHOOL, org_unit__is_active=True)
        .select_related("org_unit")
        .order_by("org_unit__path")
    )


class ActivityListView(LoginRequiredMixin, View):
    """The 关爱室 activity log of the schools the user sees; care roles add to it."""

    def get(self, request):
        return self.show(request, None)

    def post(self, request):
        _require(request.user, Action.CARE)
        form = forms.ActivityForm(request.POST, request.FILES, schools=_care_schools(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("photo")
            photo = (upload.read(), upload.name) if upload else None
            try:
                services.activity_add(
                    actor=request.user, address=request_address(request), photo=photo, **data
                )
            except PermissionDenied as error:
                raise Http404("没有找到该学校。") from error
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, "关爱室活动已记录。")
                return redirect("leftbehind:activity_list")
        return self.show(request, form, status=400)

    def show(self, request, form, status=200):
        _require(request.user, Action.VIEW)
        year = year_param(request.GET.get("year")) or current_school_year()
        activities = selectors.activity_list(
            user=request.user, year=year, unit_id=_unit_param(request)
        )
        page = Paginator(activities, 50).get_page(request.GET.get("page"))
        care = Reach(request.user, Action.CARE)
        for activity in page.object_list:
            activity.photo_shown = bool(activity.file) and care.covers(activity.unit.path)
        if form is None and can(request.user, Action.CARE):
            form = forms.ActivityForm(
                schools=_care_schools(request.user), initial={"on": form_day(year)}
            )
        return render(
            request,
            "leftbehind/activity_list.html",
            {
                "page_obj": page,
                "year": year,
                "form": form,
            },
            status=status,
        )


class ActivityPhotoView(LoginRequiredMixin, View):
    """A 关爱室 photo shows children: care roles of the school only, others not found."""

    def get(self, request, pk: int):
        activity = (
            RoomActivity.objects.for_user(request.user, Action.CARE)
            .exclude(file="")
            .filter(pk=pk)
            .first()
        )
        if activity is None:
            raise Http404("没有找到该照片。")
        return FileResponse(activity.file.open("rb"), content_type="image/jpeg")
