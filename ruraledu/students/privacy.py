"""A child's categories (留守、残疾、学困、困境 …) are personal data: beside grade, class and a
masked name (张*明) they say who has a disability or a hardship. They go with the name, as on
the indicator drill-downs: shown where the name is shown in full, withheld where it is masked.
The roster page, its export and the API all apply this one rule."""

# the enrolment's fields that place a child in a category
CATEGORIES = (
    "left_behind",
    "disability",
    "placement",
    "orphan",
    "unattended",
    "hardship",
    "family_status",
    "struggling",
    "aid_received",
    "migrant",
)


def withhold_categories(values: dict, clear: bool, keys=CATEGORIES) -> dict:
    """`values` (a row of plain values) with its categories set to None where the name is
    masked; unchanged where it is shown in full."""
    if clear:
        return values
    return {**values, **dict.fromkeys((k for k in keys if k in values), None)}
