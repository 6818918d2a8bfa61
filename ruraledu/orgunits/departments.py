"""Matching department names as plans write them (区教育局, 区发改局, 区委宣传部（区文明办）…)."""

import re

from .models import Department

_BRACKETS = str.maketrans({"(": "（", ")": "）", " ": "", "\u3000": ""})


def normalise(name: str) -> str:
    return name.strip().translate(_BRACKETS).rstrip("。.，,、；;")


def name_variants(name: str) -> set[str]:
    """A name, the name without its bracketed alias, and the bracketed alias itself."""
    name = normalise(name)
    variants = {name}
    match = re.fullmatch(r"(.+?)（(.+?)）", name)
    if match:
        variants |= {match.group(1), match.group(2)}
    return variants


class DepartmentMatcher:
    """Resolves names to departments by name, full name or alias."""

    def __init__(self, departments):
        self.by_name: dict[str, object] = {}
        for department in departments:
            names = [department.name, department.full_name, *department.aliases]
            for name in filter(None, names):
                for variant in name_variants(name):
                    self.by_name.setdefault(variant, department)

    @classmethod
    def from_database(cls) -> "DepartmentMatcher":
        return cls(Department.objects.all())

    def match(self, name: str):
        """The department for `name`, or None when unknown."""
        name = normalise(name)
        if name in self.by_name:
            return self.by_name[name]
        for variant in name_variants(name):
            if variant in self.by_name:
                return self.by_name[variant]
        return None
