"""Background document work, run by the database task worker."""

from django_tasks import task

from .jobs import batch_job_run, pdf_job_run


@task()
def render_document_pdf(document_id: int) -> None:
    pdf_job_run(document_id=document_id)


@task()
def render_document_batch(document_id: int) -> None:
    batch_job_run(document_id=document_id)
