"""The bureau's people pages: 挂牌 inspectors per school and school year, researchers' 包校
links; and the printable 挂牌 card of a school (A4 or wall sign) for anyone who sees the school."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from ruraledu.core import crypto
from ruraledu.core.schoolyear import current_school_year, form_day, school_year_bounds, year_param
from ruraledu.core.views import StepRefused
from ruraledu.orgunits.models import School
from ruraledu.workforce.models import StaffPerson

from . import selectors, services
from .conf import hotline
from .models import InspectorAssignment, InspectorPhoto, Zone
from .permissions import ensure_visible
from .views import _date
from .views_setup import BureauOnlyMixin, _int


def _user(username: str):
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(f"没有找到账号“{username.strip()}”。")
    return user


def _year(request) -> int:
    return year_param(request.GET.get("year") or request.POST.get("year")) or (
        current_school_year()
    )


class AssignmentListView(BureauOnlyMixin, View):
    """Every school with its 挂牌 inspector in a school year (and the year's history)."""

    def get(self, request):
        return self.show(request, _year(request))

    @staticmethod
    def show(request, year: int, refused: StepRefused | None = None):
        """The page; after a refused step, with its reason on that form and what was typed."""
        first, last = school_year_bounds(year)
        rows = selectors.assignment_rows(year=year)
        if refused and refused.step in ("end", "update"):
            current = {str(r["assignment"].pk) for r in rows if r["assignment"]}
            refused.unless_shown(request, refused.typed.get("pk") in current)
        return render(
            request,
            "supervision/assignment_list.html",
            {
                "year": year,
                "rows": rows,
                "ended": InspectorAssignment.objects.filter(year=year, ended_on__isnull=False)
                .select_related("school__org_unit", "inspector")
                .order_by("school__org_unit__code", "started_on"),
                "schools": School.objects.select_related("org_unit").order_by("org_unit__code"),
                "zones": Zone.objects.all(),
                "inspectors": selectors.inspector_accounts(),
                # today while the year runs, else blank: a start or an end made today is
                # never filed silently under the year's first or last day
                "form_day": form_day(year),
                "bounds": (first, last),
                # the rule of inspector_assign and inspector_unassign: a start or an end
                # lies in the year and not ahead
                "day_max": min(last, timezone.localdate()),
                "refused": refused,
            },
            status=400 if refused else 200,
        )

    def post(self, request):
        post, actor, year = request.POST, request.user, _year(request)
        step = post.get("step")
        try:
            if step == "assign":
                services.inspector_assign(
                    actor=actor,
                    school=get_object_or_404(School, pk=_int(post.get("school"))),
                    inspector=_user(post.get("inspector", "")),
                    year=year,
                    started_on=_date(post.get("started_on"), what="开始日期"),
                    zone=Zone.objects.filter(pk=_int(post.get("zone"))).first(),
                    work_phone=post.get("work_phone", ""),
                    duties=post.get("duties", ""),
                )
            elif step in ("end", "update"):
                assignment = get_object_or_404(InspectorAssignment, pk=_int(post.get("pk")))
                if step == "end":
                    services.inspector_unassign(
                        actor=actor,
                        assignment=assignment,
                        ended_on=_date(post.get("ended_on"), what="结束日期"),
                    )
                else:
                    services.assignment_update(
                        actor=actor,
                        assignment=assignment,
                        work_phone=post.get("work_phone", ""),
                        duties=post.get("duties", ""),
                    )
            elif step == "photo":
                upload = request.FILES.get("photo")
                if upload is None:
                    raise ValidationError("请选择照片。")
                services.inspector_photo_set(
                    actor=actor,
                    inspector=_user(post.get("inspector", "")),
                    data=upload.read(),
                    filename=upload.name,
                )
            else:
                raise Http404("没有找到该页面。")
            messages.success(request, "已保存。")
        except (ValidationError, PermissionDenied) as exc:
            return self.show(request, year, StepRefused.of(step, exc, post))
        return redirect(f"{reverse('supervision:assignment_list')}?year={year}")


class LinkListView(BureauOnlyMixin, View):
    """Researchers' 包校/定点联系 links in a school year, and which staff record an account is."""

    def get(self, request):
        return self.show(request, _year(request))

    @staticmethod
    def show(request, year: int, refused: StepRefused | None = None):
        return render(
            request,
            "supervision/link_list.html",
            {
                "year": year,
                "links": selectors.researcher_links(year=year),
                "accounts": selectors.staff_accounts(),
                "schools": School.objects.select_related("org_unit").order_by("org_unit__code"),
                "refused": refused,
            },
            status=400 if refused else 200,
        )

    def post(self, request):
        post, actor, year = request.POST, request.user, _year(request)
        step = "account" if post.get("step") == "account" else "link"
        try:
            if step == "account":
                person = StaffPerson.objects.filter(
                    id_index=crypto.blind_index(post.get("id_number", "").strip().upper()),
                    name=post.get("name", "").strip(),
                ).first()
                if person is None:
                    raise ValidationError("没有找到姓名和身份证号都相符的教职工。")
                services.staff_account_link(
                    actor=actor, user=_user(post.get("username", "")), person=person
                )
            else:
                services.school_link_assign(
                    actor=actor,
                    researcher=_user(post.get("username", "")),
                    school=get_object_or_404(School, pk=_int(post.get("school"))),
                    year=year,
                )
            messages.success(request, "已保存。")
        except (ValidationError, PermissionDenied) as exc:
            return self.show(request, year, StepRefused.of(step, exc, post))
        return redirect(f"{reverse('supervision:link_list')}?year={year}")


def _school(request, pk) -> School:
    school = get_object_or_404(School.objects.select_related("org_unit"), pk=pk)
    ensure_visible(request.user, school)
    return school


class CardView(LoginRequiredMixin, View):
    """The school's 挂牌 card: A4 (default) or a landscape wall sign (?layout=sign)."""

    def get(self, request, pk):
        school = _school(request, pk)
        assignment = selectors.card_assignment(school=school)
        layout = "sign" if request.GET.get("layout") == "sign" else "a4"
        return render(
            request,
            "supervision/card.html",
            {
                "school": school,
                "assignment": assignment,
                "has_photo": bool(
                    assignment and InspectorPhoto.objects.filter(user=assignment.inspector).exists()
                ),
                "hotline": hotline(),
                "layout": layout,
                "printed_on": timezone.localdate(),
            },
        )


class CardPhotoView(LoginRequiredMixin, View):
    """The photo of the school's current inspector, for the card (scoped by the school)."""

    def get(self, request, pk):
        school = _school(request, pk)
        assignment = selectors.card_assignment(school=school)
        photo = (
            InspectorPhoto.objects.filter(user=assignment.inspector).first() if assignment else None
        )
        if photo is None:
            raise Http404("没有照片。")
        try:
            return FileResponse(photo.file.open("rb"), content_type="image/jpeg")
        except FileNotFoundError as exc:
            raise Http404("文件已不存在。") from exc
