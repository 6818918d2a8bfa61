"""Background work: the worker (`manage.py db_worker`) runs queued import jobs."""

from django_tasks import task

from .services import import_job_run


@task()
def run_import_job(job_id: int) -> None:
    import_job_run(job_id=job_id)
