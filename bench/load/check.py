"""After the load test, inside Django: did every upload commit exactly once with the rows it
carried, and how long did imports wait in the queue? Prints one JSON object for run.py.

    python bench/load/check.py PLAN.json FOLDER
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django_tasks.base import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from ruraledu.audit.choices import AuditAction  # noqa: E402
from ruraledu.audit.models import AuditEvent  # noqa: E402
from ruraledu.indicators.models import RecomputeJob  # noqa: E402
from ruraledu.spreadsheets.choices import ImportJobStatus  # noqa: E402
from ruraledu.spreadsheets.importing import pks_by_id_number  # noqa: E402
from ruraledu.spreadsheets.models import ImportJob  # noqa: E402
from ruraledu.students.models import Enrolment, StudentPerson  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation: a value that was actually observed)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def check_upload(upload: dict, check: dict, year: int, problems: list[str]) -> ImportJob | None:
    who, expect = upload["username"], upload["expect"]
    jobs = list(ImportJob.objects.filter(created_by__username=who))
    if len(jobs) != 1:
        problems.append(f"{who}: {len(jobs)} 个导入任务（应为 1 个）")
        return None
    job = jobs[0]
    got = (job.status, job.total_rows, job.created_count, job.updated_count, job.unchanged_count)
    want = (
        ImportJobStatus.DONE,
        expect["rows"],
        expect["created"],
        expect["updated"],
        expect["unchanged"],
    )
    if got != want:
        problems.append(f"{who}: 任务 {job.pk} 状态与计数 {got}，应为 {want}；{job.message[:200]}")
    runs = DBTaskResult.objects.filter(
        task_path__endswith="run_import_job", args_kwargs__kwargs__job_id=job.pk
    )
    states = sorted(runs.values_list("status", flat=True))
    if states != [TaskResultStatus.SUCCESSFUL]:
        problems.append(f"{who}: 任务 {job.pk} 的后台执行记录为 {states}（应为一次成功）")
    audits = AuditEvent.objects.filter(actor__username=who, action=AuditAction.IMPORT).count()
    if audits != 1:
        problems.append(f"{who}: {audits} 条导入留痕（应为 1 条）")
    school = check["school"]
    enrolled = Enrolment.objects.filter(school__org_unit__code=school, year=year)
    if enrolled.count() != expect["enrolments_before"] + expect["created"]:
        problems.append(
            f"{who}: 学籍 {enrolled.count()} 条，应为 {expect['enrolments_before']} + {expect['created']}"
        )
    new = pks_by_id_number(StudentPerson, check["new_ids"])
    placed = set(enrolled.filter(person__in=new.values()).values_list("person", flat=True))
    if len(new) != len(check["new_ids"]) or len(placed) != len(new):
        problems.append(
            f"{who}: 新生 {len(check['new_ids'])} 名，找到 {len(new)} 名，在本校 {len(placed)} 名"
        )
    moved = pks_by_id_number(StudentPerson, list(check["moved"]))
    classes = dict(enrolled.filter(person__in=moved.values()).values_list("person", "class_name"))
    wrong = [n for n, pk in moved.items() if classes.get(pk) != check["moved"][n]]
    if wrong or len(moved) != len(check["moved"]):
        problems.append(f"{who}: {len(wrong)} 名调班学生的班级未更新")
    return job


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    checks = json.loads((Path(sys.argv[2]) / "checks.json").read_text())
    problems: list[str] = []
    jobs = [check_upload(u, checks[u["username"]], plan["year"], problems) for u in plan["uploads"]]
    waits, spans = [], []
    for job in filter(None, jobs):
        for run in DBTaskResult.objects.filter(
            task_path__endswith="run_import_job", args_kwargs__kwargs__job_id=job.pk
        ):
            if run.started_at:
                waits.append((run.started_at - run.enqueued_at).total_seconds())
        if job.finished_at:
            spans.append((job.finished_at - job.created_at).total_seconds())
    after_imports = RecomputeJob.objects.filter(requested_by__username__startswith="loadclerk-")
    recomputes = after_imports.values_list("status", flat=True)
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    if failed:
        problems.append(f"{failed} 个后台任务失败")
    print(
        json.dumps(
            {
                "uploads": len(plan["uploads"]),
                "rows": sum(u["expect"]["rows"] for u in plan["uploads"]),
                "problems": problems,
                "wait_p50": percentile(waits, 50),
                "wait_p95": percentile(waits, 95),
                "wait_max": max(waits, default=float("nan")),
                "span_p50": percentile(spans, 50),
                "span_p95": percentile(spans, 95),
                "span_max": max(spans, default=float("nan")),
                "recomputes": len(recomputes),
                "recomputes_done": sum(s == RecomputeJob.Status.DONE for s in recomputes),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
