"""Background cross-checks, run by the database task worker."""

from django_tasks import task

from .jobs import cross_check_job_run


@task()
def run_cross_check(run_id: int) -> None:
    cross_check_job_run(run_id=run_id)
