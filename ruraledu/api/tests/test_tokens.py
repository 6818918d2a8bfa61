"""Token lifecycle (created on the account page, shown once, stored hashed, revoked, expired,
last use recorded) and the one Chinese error format for every refusal."""

import datetime as dt
import time

from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from ruraledu.api import auth
from ruraledu.api.models import ApiToken
from ruraledu.api.tokens import token_create
from ruraledu.audit.models import AuditEvent
from ruraledu.indicators.models import IndicatorValue

from .conftest import YEAR, code_of_rate, token_client


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_account_page_creates_a_token_shown_once_and_revokes_it(client, school_clerk, school_a):
    client.force_login(school_clerk)
    page = client.post("/api/tokens/", {"name": "市局交换", "days": 30, "can_write": "1"})
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("rtk_")
    token = ApiToken.objects.get(user=school_clerk)
    assert token.can_write and token.name == "市局交换"
    # only the hash is stored, and the list never shows the secret again
    assert secret not in token.key_hash
    assert secret not in client.get("/api/tokens/").content.decode()
    assert AuditEvent.objects.filter(object_id=str(token.pk), action="create").exists()

    api = bearer(secret)
    assert api.get("/api/v1/units/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = api.get("/api/v1/units/")
    assert refused.status_code == 401
    assert refused.json()["error"] == {"code": "authentication_failed", "message": "令牌已被吊销。"}
    assert AuditEvent.objects.filter(object_id=str(token.pk), action="update").exists()


def test_someone_elses_token_cannot_be_revoked(client, school_clerk, outsider, school_a):
    token, _ = token_create(user=outsider, name="别人的", days=5, can_write=False)
    client.force_login(school_clerk)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_refuses_a_bad_expiry(client, school_clerk):
    client.force_login(school_clerk)
    page = client.post("/api/tokens/", {"name": "x", "days": 9999, "can_write": "0"})
    assert page.context["secret"] is None
    assert "days" in page.context["form"].errors
    assert not ApiToken.objects.exists()


def test_expired_and_forged_tokens_are_401(school_clerk):
    token, secret = token_create(user=school_clerk, name="旧", days=1, can_write=False)
    token.expires_at = timezone.now() - dt.timedelta(seconds=1)
    token.save()
    response = bearer(secret).get("/api/v1/units/")
    assert response.status_code == 401
    assert "过期" in response.json()["error"]["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    forged = bearer(secret[:-4] + "AAAA").get("/api/v1/units/")
    assert forged.status_code == 401
    assert forged.json()["error"]["message"] == "令牌无效。"


def test_a_read_only_token_reads_but_never_writes(district_admin, values):
    client = token_client(district_admin, can_write=False)
    assert client.get("/api/v1/values/").status_code == 200
    body = {
        "dataValues": [
            {"dataElement": code_of_rate(), "period": str(YEAR), "orgUnit": "SA", "value": "1"}
        ]
    }
    response = client.post("/api/v1/dhis2/dataValueSets/", body, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "该令牌为只读令牌，不能写入。"
    assert IndicatorValue.objects.get(unit__code="SA").value == 90.0


def test_requests_beyond_the_rate_are_throttled_per_token(school_clerk, monkeypatch):
    monkeypatch.setattr(auth.PerTokenThrottle, "THROTTLE_RATES", {"api_token": "3/min"})
    first, second = token_client(school_clerk), token_client(school_clerk)
    codes = [first.get("/api/v1/units/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    last = first.get("/api/v1/units/")
    assert last.json()["error"]["code"] == "throttled"
    assert "请求过于频繁" in last.json()["error"]["message"]
    assert int(last["Retry-After"]) > 0
    # another token of the same user has its own count
    assert second.get("/api/v1/units/").status_code == 200


def test_the_count_lives_in_the_database_where_every_worker_reads_it(school_clerk, monkeypatch):
    # given a token used twice under a rate of 3 a minute
    monkeypatch.setattr(auth.PerTokenThrottle, "THROTTLE_RATES", {"api_token": "3/min"})
    client = token_client(school_clerk)
    assert [client.get("/api/v1/units/").status_code for _ in range(2)] == [200, 200]
    token = ApiToken.objects.get(user=school_clerk)
    key = f"throttle_api_token_token-{token.pk}"
    # then another worker's cache (a new object, nothing shared in memory) reads the same count
    other_worker = DatabaseCache("api_throttle_cache", {})
    assert len(other_worker.get(key)) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM api_throttle_cache")
        assert cursor.fetchone()[0] == 1
    # and a third request counted by that worker leaves this one refusing the fourth
    other_worker.set(key, [time.time(), *other_worker.get(key)], 60)
    refused = client.get("/api/v1/units/")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"


def test_malformed_json_wrong_types_unknown_fields_and_oversized_bodies(district_admin, values):
    client = token_client(district_admin)
    url = "/api/v1/dhis2/dataValueSets/"
    good = {"dataElement": code_of_rate(), "period": str(YEAR), "orgUnit": "SA", "value": "1"}

    broken = client.post(url, '{"dataValues": [', content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["error"] == {
        "code": "parse_error",
        "message": "请求体不是有效的 JSON，或表单格式有误。",
    }

    wrong = client.post(url, {"dataValues": "三条"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "invalid"
    assert "dataValues" in wrong.json()["error"]["fields"]

    unknown = client.post(url, {"dataValues": [good | {"colour": "红"}]}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {
        "dataValues[0].colour": ["未知字段，接口不接受该字段。"]
    }

    huge = client.post(url, "{" + " " * (6 * 1024 * 1024) + "}", content_type="application/json")
    assert huge.status_code == 413
    assert huge.json()["error"]["code"] == "too_large"

    text = client.post(url, "a=1", content_type="text/plain")
    assert text.status_code == 415
    assert text.json()["error"]["code"] == "unsupported_media_type"

    assert client.delete("/api/v1/units/").status_code == 405
    # nothing of all that was written
    assert IndicatorValue.objects.get(unit__code="SA").value == 90.0


def test_out_of_scope_detail_has_the_same_error_shape(school_clerk, school_b):
    response = token_client(school_clerk).get("/api/v1/units/SB/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "没有这个对象，或不在您的权限范围内。"}
    }


def test_an_unknown_path_answers_the_json_404_of_every_error(school_clerk):
    client = token_client(school_clerk)
    for method in ("get", "post", "put", "delete", "options"):
        response = getattr(client, method)("/api/v1/nothing/")
        assert response.status_code == 404, method
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "error": {
                "code": "not_found",
                "message": "没有这个接口地址：/api/v1/nothing/（可用的接口见 /api/docs/）。",
            }
        }
    assert client.get("/api/").status_code == 404
    assert client.get("/api/v2/units/").json()["error"]["code"] == "not_found"
    # without its slash a path is still sent to the slashed one first, known or not
    assert client.get("/api/v1/nothing")["Location"] == "/api/v1/nothing/"
    assert client.get("/api/v1/units")["Location"] == "/api/v1/units/"


def test_an_unknown_path_tells_anyone_without_a_token_to_sign_in_first(client):
    # as for the schema: the API's map is not shown to anonymous callers
    response = client.get("/api/v1/nothing/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_read_only_leader_is_offered_only_a_read_only_token(client, district_leader):
    # 区领导（只读） changes nothing, so the page offers no 读写 token that would list as such
    client.force_login(district_leader)
    page = client.get("/api/tokens/").content.decode()
    assert "读写（导入、重算）" not in page
    refused = client.post("/api/tokens/", {"name": "看板", "days": 30, "can_write": "1"})
    assert refused.context["secret"] is None and "can_write" in refused.context["form"].errors
    assert not ApiToken.objects.exists()
    created = client.post("/api/tokens/", {"name": "看板", "days": 30, "can_write": "0"})
    assert created.context["secret"]
    assert not ApiToken.objects.get(user=district_leader).can_write


def test_a_school_clerk_is_still_offered_a_read_write_token(client, school_clerk):
    client.force_login(school_clerk)
    assert "读写（导入、重算）" in client.get("/api/tokens/").content.decode()
