"""Background recompute (after imports and on demand), run by the database task worker."""

from django_tasks import task

from .jobs import recompute_job_run


@task()
def run_recompute_job(job_id: int) -> None:
    recompute_job_run(job_id=job_id)
