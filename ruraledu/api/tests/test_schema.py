"""The OpenAPI schema validates, the documentation page is served from local assets, and
schemathesis walks every operation (a few examples each) without a 5xx or a response that
breaks the schema."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ruraledu.api.tokens import token_create

EXAMPLES = 5


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/dhis2/dataValueSets/" in text
    assert "personalToken" in text


def test_schema_is_for_signed_in_users_only(client):
    assert client.get("/api/schema/").status_code == 401


def test_docs_page_uses_local_assets_only(client, district_leader):
    client.force_login(district_leader)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page.replace("https://swagger.io", "")
    asset = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


@pytest.fixture
def keep_connection():
    """Requests go through the real WSGI handler, whose request signals would close the test's
    database connection (PostgreSQL); Django's own test client unhooks them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_fuzz_every_operation(values, reports, district_admin, keep_connection):
    """Each operation of the served schema gets a few generated requests (the bureau's
    read-write token, real data in the database); none may answer 5xx or break the schema."""
    from hypothesis import given

    _, secret = token_create(user=district_admin, name="fuzz", days=1, can_write=True)
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        get_wsgi_application(),
        headers={"Authorization": f"Bearer {secret}"},
    )
    walked, statuses = [], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {secret}"},
                checks=[not_a_server_error, response_schema_conformance],
            )
            statuses.append(response.status_code)

        run()
        walked.append(operation.label)
    assert len(walked) >= 20, walked
    assert len(statuses) >= len(walked)
    # generated requests reached the data, not only the error paths
    assert statuses.count(200) >= len(walked) // 2, statuses
    print(f"schemathesis: {len(walked)} operations, {len(statuses)} requests")
