"""Background recompute (after imports and on demand), run by the database task worker."""

from django_tasks import task

from .jobs import recompute_job_run


# its own queue and worker: recomputes run one at a time, and a worker waiting its turn for
# one would hold up the imports behind it
@task(queue_name="recompute")
def run_recompute_job(job_id: int) -> None:
    recompute_job_run(job_id=job_id)
