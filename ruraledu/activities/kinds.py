"""The activities app's yearly data kinds (see `core.kinds`). Dated activities (听课, 公开课,
研学, 培训) carry the school year of their date and are not copied into a new year."""

from django.db.models import Q

from ruraledu.core.kinds import YearlyKind, declare, sql_false
from ruraledu.workforce.models import Post

from .models import DistrictRoleAssignment, FeatureCourse, InternPlacement, Nomination, SchoolLink


def _staff_of(units):
    """The people holding a post at these units (in any year)."""
    return Post.objects.filter(school__in=units).values("person")


INTERNS = declare(
    YearlyKind(
        "activities.interns", InternPlacement, ("school", "name", "university"), importer="interns"
    )
)
NOMINATIONS = declare(
    YearlyKind(
        "activities.nominations",
        Nomination,
        ("person", "programme", "level"),
        importer="nominations",
        wipe=lambda units: Nomination.objects.filter(person__in=_staff_of(units)),
    )
)
SCHOOL_LINKS = declare(
    YearlyKind(
        "activities.school_links",
        SchoolLink,
        ("person", "school"),
        rolls_forward=True,
        importer="school_links",
        wipe=lambda units: SchoolLink.objects.filter(
            Q(school__in=units) | Q(person__in=_staff_of(units))
        ),
    )
)
DISTRICT_ROLES = declare(
    YearlyKind(
        "activities.district_roles",
        DistrictRoleAssignment,
        ("school_district", "person", "role"),
        rolls_forward=True,
        importer="district_roles",
        wipe=lambda units: DistrictRoleAssignment.objects.filter(
            Q(person__in=_staff_of(units)) | Q(school_district__town__in=units)
        ),
    )
)
FEATURE_COURSES = declare(
    YearlyKind(
        "activities.courses",
        FeatureCourse,
        ("school", "name"),
        rolls_forward=True,
        transform=lambda: {"promoted": sql_false()},  # 精品 is selected again each year
        importer="courses",
    )
)
