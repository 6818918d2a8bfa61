"""Background work: the worker (`manage.py db_worker`) runs queued import and export jobs."""

from django_tasks import task

from .exporting import export_job_run
from .services import import_job_run


@task()
def run_import_job(job_id: int) -> None:
    import_job_run(job_id=job_id)


@task()
def run_export_job(job_id: int) -> None:
    export_job_run(job_id=job_id)
