"""Background computation of a forecast run, by the database task worker."""

from django_tasks import task

from .services import forecast_run_compute


@task()
def run_forecast(run_id: int) -> None:
    forecast_run_compute(run_id=run_id)
