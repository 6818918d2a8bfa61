"""The cross-field rules of a 办学条件 record, in one place: the importer, the page form and the
model all apply this list, so a record refused in one way in is refused in every way in."""

from ruraledu.orgunits.choices import SchoolStage


def facility_problems(values: dict, stage: str | None) -> list[tuple[str, str]]:
    """(field, message) for each rule `values` (field -> value) breaks at a school of `stage`."""
    problems = []
    classrooms = values.get("classrooms") or 0
    for part in ("classrooms_lighting_ok", "classrooms_100mbps"):
        if (values.get(part) or 0) > classrooms:
            problems.append((part, "不能超过教室间数"))
    if (values.get("teacher_dorm_provided") or 0) > (values.get("teacher_dorm_needed") or 0):
        problems.append(("teacher_dorm_provided", "不能超过需周转宿舍教师数"))
    if values.get("boarding_condition_ok") and not values.get("boarding"):
        problems.append(("boarding_condition_ok", "非寄宿制学校不应填写寄宿条件达标"))
    if values.get("kindergarten_grade") and stage and stage != SchoolStage.KINDERGARTEN:
        problems.append(("kindergarten_grade", "只有幼儿园填写幼儿园等级"))
    return problems
