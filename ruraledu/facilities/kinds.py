"""The facilities app's yearly data kinds (see `core.kinds`)."""

from ruraledu.core.kinds import Tab, YearlyKind, declare

from .models import FacilityRecord, KindergartenClass, VillageRecord

FACILITY_RECORDS = declare(
    YearlyKind(
        "facilities.facility",
        FacilityRecord,
        ("school",),
        rolls_forward=True,
        importer="facilities",
        tab=Tab("facilities", "办学条件", "facilities:facility_detail", order=10),
        marks_year=True,
    )
)
KINDERGARTEN_CLASSES = declare(
    YearlyKind(
        "facilities.kg_classes",
        KindergartenClass,
        ("school", "level"),
        rolls_forward=True,
        importer="kg_classes",
    )
)
VILLAGE_RECORDS = declare(
    YearlyKind(
        "facilities.villages",
        VillageRecord,
        ("village",),
        rolls_forward=True,
        importer="villages",
        place="village",
    )
)
