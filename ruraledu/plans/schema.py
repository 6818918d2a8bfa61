"""The plan file's shape. pydantic checks it; the loader maps error locations to file lines."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .choices import YEAR_ON_YEAR, Comparator, Recurrence, SectionKind, TargetKind, TargetScope


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanHeader(Strict):
    code: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str = Field(min_length=1)
    document_number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    start_year: int = Field(ge=2000, le=2100)
    end_year: int = Field(ge=2000, le=2100)
    preamble: str = ""
    goal_text: str = ""


class DepartmentEntry(Strict):
    code: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: str = Field(min_length=1)
    full_name: str = ""
    aliases: list[str] = []


class SectionEntry(Strict):
    number: int = Field(ge=1)
    kind: SectionKind
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    lead: list[str] = []
    partners: list[str] = []


class ProjectEntry(Strict):
    number: int = Field(ge=1)
    section: int = Field(ge=1)
    name: str = Field(min_length=1)
    tasks_text: str = Field(min_length=1)
    goals_text: str = Field(min_length=1)
    lead: list[str] = Field(min_length=1)
    partners: list[str] = []
    tasks: list[str] = []


class TargetEntry(Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    project: int | None = None
    section: int | None = None
    text: str = Field(min_length=1)
    kind: TargetKind
    due: dt.date
    recurrence: Recurrence = Recurrence.ONCE
    scope: TargetScope | Literal[""] = ""
    comparator: Comparator | Literal[""] = ""
    threshold: Decimal | None = None
    threshold_max: Decimal | None = None
    unit: str = ""
    indicator: str = ""
    measurement: str = ""

    @model_validator(mode="after")
    def check_measurement(self):
        if self.kind == TargetKind.MEASURED:
            if not self.indicator:
                raise ValueError("计量指标（measured）必须填写 indicator 指标代码")
            if not self.comparator:
                raise ValueError("计量指标（measured）必须填写 comparator 比较方式")
            if self.comparator not in YEAR_ON_YEAR and self.threshold is None:
                raise ValueError("计量指标（measured）必须填写 threshold 阈值")
        if self.comparator == Comparator.BETWEEN and self.threshold_max is None:
            raise ValueError("区间目标（between）必须填写 threshold_max")
        return self


class StandardEntry(Strict):
    """A standard value the plan's unit applies (a code of the platform's standards table)."""

    code: str = Field(min_length=1)
    stage: Literal["", "primary", "junior", "kindergarten"] = ""
    value: float = Field(ge=0)
    source: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1990, le=2100)
    provisional: bool = False


class PlanFile(Strict):
    plan: PlanHeader
    departments: list[DepartmentEntry] = []
    sections: list[SectionEntry] = Field(min_length=1)
    projects: list[ProjectEntry] = []
    targets: list[TargetEntry] = []
    standards: list[StandardEntry] = []
