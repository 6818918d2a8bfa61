"""Sending queued robot messages, run by the database task worker."""

from django_tasks import task

from .services import deliveries_send_due


@task()
def send_due_deliveries() -> None:
    deliveries_send_due()
