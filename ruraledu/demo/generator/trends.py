"""Year-by-year shares the demo district moves along, in one place so they can be tuned.

Each curve maps calendar school years to the share of the population that has the feature
(a school with a 劳动实践场所, a teacher with a health check, …); years between points are
interpolated and years outside are clamped. README.md lists what each curve is meant to show
against the plan's targets (met, on track, at risk, overdue) as of late 2026.
"""


def ramp(points: dict[int, float], year: int) -> float:
    years = sorted(points)
    if year <= years[0]:
        return points[years[0]]
    if year >= years[-1]:
        return points[years[-1]]
    for low, high in zip(years, years[1:], strict=False):
        if low <= year <= high:
            span = (year - low) / (high - low)
            return points[low] + span * (points[high] - points[low])
    return points[years[-1]]  # pragma: no cover


CURVES: dict[str, dict[int, float]] = {
    # schools (share of rural schools unless noted)
    "moral_plan": {2021: 0.35, 2022: 0.7, 2023: 1.0},  # due 2023: met
    "parent_bodies": {2021: 0.7, 2023: 0.9, 2025: 0.97},  # due 2023: overdue
    "green_campus": {2021: 0.5, 2025: 0.9},  # due 2025: overdue
    "warm_campus": {2021: 0.3, 2025: 0.78},  # due 2027: on track
    "water_hot": {2021: 0.82, 2022: 0.93, 2023: 1.0},  # all schools, due 2023: met
    "heating_cooling": {2021: 0.75, 2023: 0.95, 2024: 1.0},  # due 2023: met late
    "toilets": {2021: 0.9, 2022: 1.0},  # due 2023: met
    "lighting": {2021: 0.55, 2025: 0.9},  # rural schools fully lit; due 2025: overdue
    "gigabit": {2021: 0.3, 2023: 0.7, 2025: 1.0},  # all schools, due 2025: met
    "classroom_100m": {2021: 0.4, 2024: 0.85, 2025: 1.0},  # every classroom, due 2025: met
    "recording_seat": {2021: 0.45, 2024: 0.9, 2025: 1.0},  # 镇驻地, due 2025: met
    "labour_site": {2021: 0.55, 2025: 0.93},  # due 2025: overdue
    "care_room": {2021: 0.6, 2024: 0.95, 2025: 1.0},  # due 2025: met
    "boarding_ok": {2021: 0.5, 2025: 0.67},  # boarding rural schools, due 2027: at risk
    "class2_seat": {2021: 0.4, 2025: 0.82},  # 镇驻地 meeting Ⅱ类, due 2027: on track
    "class2_rural": {2021: 0.3, 2025: 0.48},  # rural schools meeting Ⅱ类, due 2027: at risk
    "class2_kindergarten": {2021: 0.35, 2025: 0.5},  # rural kindergartens, 2027: at risk
    "feature_course": {2021: 0.45, 2025: 0.84},  # rural schools, due 2027: on track
    "research_base": {2021: 0.12, 2025: 0.34},  # rural public, ≥30 % by 2025: met
    "pairing": {2021: 0.4, 2025: 0.94},  # rural public in a pairing, due 2025: overdue
    "village_parent_school": {2021: 0.6, 2025: 0.97},  # 村居, ≥95 % by 2025: met
    "civilisation_parent_school": {2021: 0.7, 2025: 0.98},  # 文明实践站, ≥95 %: met
    "kindergarten_model_central": {2021: 0.34, 2025: 0.67},  # 镇中心园 省级示范, 2027: at risk
    "kindergarten_class2_public": {2021: 0.45, 2025: 0.88},  # 2027: on track
    # staff
    "health_check_rural": {2021: 0.86, 2025: 0.93},  # due 2027 (100 %): at risk
    "health_check_urban": {2021: 0.93, 2025: 0.97},
    "town_allowance": {2021: 0.9, 2022: 1.0},  # met
    "dormitory": {2021: 0.6, 2025: 0.88},  # rural teachers needing one, due 2025: overdue
    "bound_appointment": {2023: 0.6, 2024: 0.8, 2025: 0.9},  # new hires, due 2025: overdue
    "school_link": {2021: 0.5, 2024: 0.82, 2025: 0.9},  # 教研员+骨干, due 2024: overdue
    "seat_lessons": {2021: 0.35, 2025: 0.62},  # 骨干/名师 with ≥5 lessons, 2027: at risk
    "famous_lesson_seat": {2021: 0.4, 2023: 0.8, 2024: 1.0},  # 名师课堂, due 2025: met
    "observation_pairs": {2021: 0.4, 2025: 0.82},  # pairs with ≥8 听课, 2027: on track
    "principal_training": {2021: 0.5, 2023: 0.75, 2025: 0.94},  # 骨干校长轮训, 2025: met
    "peripatetic_district": {2021: 0.34, 2023: 0.67, 2025: 1.0},  # 学区 with 走教: met
    "leader_renewal": {2021: 0.07, 2025: 0.12},  # yearly chance a rural leader is replaced
    "degree_upgrade_rural": {2021: 0.12, 2025: 0.18},  # yearly 专科→本科 among rural teachers
    "degree_upgrade_urban": {2021: 0.04, 2025: 0.05},
    "kindergarten_tenured_hire": {2021: 0.45, 2025: 0.8},  # 在编 share of town public KG hires
    # students (rural unless noted)
    "mentor_rural": {2021: 0.35, 2025: 0.86},  # due 2025 (100 %): overdue
    "mentor_urban": {2021: 0.5, 2025: 0.9},
    "transport": {2021: 0.62, 2025: 0.92},  # > 2 km day students served, due 2025: overdue
    "lunch": {2021: 0.88, 2022: 0.96, 2023: 1.0},  # due 2023: met
    "aid": {2021: 0.9, 2024: 0.97, 2025: 1.0},  # priority students aided (continuous): met
    "trip_yearly": {2021: 0.22, 2025: 0.5},  # yearly chance of a 进城研学 trip in the stage
    "kg_hire_college": {2021: 0.85, 2024: 0.9, 2025: 0.3},
    "secondary_upgrade": {
        2021: 0.06,
        2024: 0.06,
        2025: 0.0,
    },  # 中专→专科 per year  # 专科+ among rural KG hires
    "vacancy_rural": {2021: 0.9, 2025: 0.1},  # unfilled 编制 per rural school, due 2025: overdue
    # towns (share of 镇)
    "resource_rooms_town": {2021: 0.3, 2025: 0.78},  # 资源教室 in primary+junior+KG: overdue
    "special_ed_centre_town": {2021: 0.45, 2023: 0.78, 2024: 1.0},  # due 2024: met
    "studio_town": {2021: 0.3, 2025: 0.87},  # non-pilot 镇 with a 名师工作室: overdue
    # kindergarten children per kind of town kindergarten (index vs the first year)
    "kg_public_growth": {2021: 1.0, 2025: 1.12},
    "kg_private_growth": {2021: 1.0, 2025: 0.88},  # private 普惠
    "kg_other_growth": {2021: 1.0, 2025: 0.7},  # private, not 普惠
}


def share(name: str, year: int) -> float:
    return ramp(CURVES[name], year)
