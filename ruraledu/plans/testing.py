"""Helpers for tests: a district's own small plan, loaded as a plan file would be."""

PLAN = """\
plan:
  code: {code}
  title: {name}方案
  start_year: 2023
  end_year: 2025
sections:
- number: 1
  kind: action
  title: 行动一
  text: 正文
targets:
- code: {target}
  section: 1
  text: {name}的目标
  kind: milestone
  due: 2025-12-31
"""


def load_district_plan(tmp_path, unit, code: str, target: str):
    """Load for `unit` a plan `code` of one section and one milestone target `target`
    (text "<unit name>的目标")."""
    from ruraledu.plans.loader import load_plan

    path = tmp_path / f"{code}.yaml"
    path.write_text(PLAN.format(code=code, name=unit.name, target=target), encoding="utf-8")
    return load_plan(path, unit)
