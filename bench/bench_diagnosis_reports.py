"""Time to make the diagnosis reports of all the demo district's schools as one zip of PDFs
(and their Word files), as the background job does it (not a test). Goal: under 3 minutes.

    .venv/bin/python bench/bench_diagnosis_reports.py [--database sqlite:////path/to/db.sqlite3]
        [--unit CODE]

Without --database a fresh SQLite file gets the demo district first (not timed). The job runs
in this process; the zip is stored under a temporary MEDIA_ROOT.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on  # noqa: E402
from bench_progress_report import bench_admin, demo_district  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="a database that already holds the demo district")
    parser.add_argument("--unit", help="code of a town (default: the whole district)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-diagnosis-")
    os.environ.setdefault("DATA_KEY_FILE", f"{workdir}/data.key")
    os.environ["MEDIA_ROOT"] = f"{workdir}/files"
    django_on(args.database)
    if args.database is None:
        demo_district()
    from django.conf import settings
    from django.utils import timezone

    from ruraledu.documents.choices import DocumentStatus
    from ruraledu.documents.jobs import batch_job_run, pdf_workers
    from ruraledu.documents.models import GeneratedDocument
    from ruraledu.indicators.evaluation import plan_root_unit
    from ruraledu.orgunits.models import OrgUnit

    settings.MEDIA_ROOT = f"{workdir}/files"
    unit = OrgUnit.objects.get(code=args.unit) if args.unit else plan_root_unit()
    document = GeneratedDocument.objects.create(
        kind="school_diagnosis",
        title=f"{unit.name}各校诊断报告（性能测试）",
        org_unit=unit,
        generated_at=timezone.now(),
        generated_by=bench_admin(),
        status=DocumentStatus.QUEUED,
        parameters={"year": None, "batch": True},
    )
    started = time.perf_counter()
    document = batch_job_run(document_id=document.pk)
    seconds = time.perf_counter() - started
    count = int(document.message.split()[1])
    print(
        f"diagnosis reports of {unit.name}: {count} schools, zip {document.file.size / 1e6:.1f} MB "
        f"(PDF and Word), {seconds:.1f} s = {seconds / count:.2f} s a school, "
        f"{pdf_workers()} LibreOffice processes (goal < 180 s)"
    )
    document.file.delete(save=False)
    document.delete()


if __name__ == "__main__":
    main()
