import factory

from ruraledu.orgunits.choices import OrgUnitKind, Ownership, SchoolStage
from ruraledu.orgunits.models import Department, OrgUnit, School


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrgUnitKind.SCHOOL


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    org_unit = factory.SubFactory(OrgUnitFactory, kind=OrgUnitKind.SCHOOL)
    stage = SchoolStage.PRIMARY
    ownership = Ownership.PUBLIC
    urban_rural_code = "220"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"区部门{n}")
