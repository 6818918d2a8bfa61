import pytest


@pytest.mark.parametrize(
    "url", ["/yzjh/?unit=%00", "/units/%00/profile/", "/indicators/?q=a%00b", "/%00/"]
)
def test_a_nul_character_anywhere_is_a_bad_request(client, district_admin, url):
    client.force_login(district_admin)
    response = client.get(url)
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()


def test_a_nul_in_a_form_is_a_bad_request(client, district_admin):
    client.force_login(district_admin)
    assert client.post("/school-years/", {"year": "2025\x00"}).status_code == 400
