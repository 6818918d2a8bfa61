"""Background e-mail of notices, run by the database task worker."""

from django_tasks import task

from .reminders import send_pending_emails


@task()
def send_emails() -> None:
    send_pending_emails()
