import datetime as dt

import factory

from ruraledu.plans.choices import Comparator, ResponsibilityRole, SectionKind, TargetKind
from ruraledu.plans.models import Plan, Project, Responsibility, Section, Target


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("code",)

    code = "test-plan"
    title = "测试工作方案"
    start_year = 2023
    end_year = 2027


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    # 1..99 whatever ran before in this process: sections are numbered in Chinese numerals
    number = factory.Sequence(lambda n: n % 99 + 1)
    kind = SectionKind.ACTION
    title = factory.Sequence(lambda n: f"行动{n}")
    text = "正文"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    plan = factory.SubFactory(PlanFactory)
    section = factory.SubFactory(SectionFactory, plan=factory.SelfAttribute("..plan"))
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"重点项目{n}")
    tasks_text = "主要任务"
    goals_text = "工作目标"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SelfAttribute("project.plan")
    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"M{n:02d}")
    text = factory.Sequence(lambda n: f"节点任务{n}")
    kind = TargetKind.MILESTONE
    due_date = dt.date(2025, 12, 31)


class MeasuredFactory(MilestoneFactory):
    code = factory.Sequence(lambda n: f"Q{n:02d}")
    kind = TargetKind.MEASURED
    indicator_code = "no_such_indicator"
    comparator = Comparator.GTE
    threshold = 100
    unit = "%"


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    role = ResponsibilityRole.PARTNER
