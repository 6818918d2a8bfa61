"""Background solve of a scenario, run by the database task worker."""

from django_tasks import task

from .services import scenario_solve


@task()
def run_scenario(scenario_id: int) -> None:
    scenario_solve(scenario_id=scenario_id)
