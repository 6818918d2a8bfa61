"""交流轮岗 page: one district's suggested list under editable rules, and the bureau's
decisions there (the city's bureau chooses the district)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from ruraledu.accounts.choices import Action
from ruraledu.core.params import int_param
from ruraledu.orgunits.districts import district_pick, districts_covered, within
from ruraledu.orgunits.models import School

from .models import RotationDecision
from .rotation import RULES, suggest
from .travel_services import rotation_decide
from .views import PlannerMixin


def _rules(params) -> tuple[dict, list[str]]:
    rules, errors = dict(RULES), []
    for key, label, scale in (
        ("min_years", "同校任教年限下限（年）", 1),
        ("share", "轮岗比例（%）", 100),
        ("backbone_share", "骨干教师占轮岗人数比例（%）", 100),
    ):
        raw = params.get(key)
        if raw in (None, ""):
            continue
        try:
            value = float(raw)
            if value < 0 or (scale == 100 and value > 100):
                raise ValueError
        except ValueError:
            errors.append(f"{label}“{raw}”无效：应为 0 以上的数（比例不超过 100）。")
            continue
        rules[key] = value / scale
    return rules, errors


class RotationView(PlannerMixin, TemplateView):
    template_name = "planning/rotation.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        units = districts_covered(self.request.user, Action.REVIEW)
        unit = district_pick(units, params.get("unit"))
        try:
            year = int(params.get("year") or timezone.localdate().year - 1)
        except ValueError:
            year = timezone.localdate().year - 1
        rules, errors = _rules(params)
        result = suggest(year, rules, unit)
        # by teacher: one decision a year in the district, whichever of the teacher's posts
        # in it the decision was made on (the row shows the post held longest)
        decided = list(
            RotationDecision.objects.filter(
                year=year, from_school__org_unit__path__startswith=unit.path
            )
            .select_related("to_school__org_unit", "from_school__org_unit", "person", "decided_by")
            .order_by("from_school__org_unit__code", "person__name")
        )
        decisions = {}
        for d in decided:
            decisions.setdefault(d.person_id, d)
        schools = list(
            School.objects.filter(org_unit__kind="school", org_unit__path__startswith=unit.path)
            .select_related("org_unit")
            .order_by("org_unit__code")
        )
        by_pk = {s.pk: s for s in schools}
        for row in result["rows"]:
            row["decision"] = decisions.get(row["post"].person_id)
            target = by_pk.get(row["target"])
            row["target_code"] = target.org_unit.code if target else ""
            row["target_name"] = target.org_unit.name if target else ""
        return {
            **super().get_context_data(**kwargs),
            "year": year,
            "unit": unit,
            "units": units if len(units) > 1 else [],
            "rules": rules,
            "share_pct": round(rules["share"] * 100, 2),
            "backbone_pct": round(rules["backbone_share"] * 100, 2),
            "errors": errors,
            "result": result,
            "decisions": decided,
            "schools": schools,
            "choices": RotationDecision.Decision.choices,
        }


class RotationDecideView(PlannerMixin, View):
    def post(self, request):
        data = request.POST
        try:
            year, person = int(data["year"]), int(data["person"])
            code = data.get("to_school", "").strip()
            # only the schools of the districts planned are looked up: of another district's
            # nothing is told, not even that it exists
            units = districts_covered(request.user, Action.REVIEW)
            if not units:
                raise Http404("页面不存在")
            schools = School.objects.filter(within(units, "org_unit__path"))
            school = schools.filter(org_unit__code=code).first() if code else None
            if code and school is None:
                raise ValidationError(f"学校代码“{code}”不存在。")
            to_school = school.pk if school else None
            rotation_decide(
                actor=request.user,
                year=year,
                person_id=person,
                decision=data.get("decision", ""),
                to_school_id=to_school,
                note=data.get("note", ""),
                from_school_id=int_param(data.get("from_school")),
            )
        except (KeyError, ValueError):
            messages.error(request, "提交的数据不完整，请在页面上重新选择。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已记录交流轮岗决定（不改动教师任职登记）。")
        back = data.get("back", "")
        # only a path: redirect() would take any other word for a view's name
        safe = back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}
        )
        return redirect(back if safe else reverse("planning:rotation"))
