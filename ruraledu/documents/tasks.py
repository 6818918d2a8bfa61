"""Background document work, run by the database task worker."""

from django_tasks import task

from .jobs import pdf_job_run


@task()
def render_document_pdf(document_id: int) -> None:
    pdf_job_run(document_id=document_id)
