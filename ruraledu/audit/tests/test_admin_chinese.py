"""Every page of the admin the bureau uses reads in Chinese: app and model names, column headers,
form labels and buttons (code values such as "yzjh_r1" in the data are not labels)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from ruraledu.accounts.tests.factories import UserFactory

# visible label text: table headers, form labels, headings, the app list and buttons
LABELS = re.compile(
    r'<(?:th|label|h1|h2|caption|button)(?![^>]*class="field-)[^>]*>(.*?)'
    r"</(?:th|label|h1|h2|caption|button)>"
    r'|<input[^>]+type="submit"[^>]+value="([^"]*)"',
    re.S,
)
ENGLISH = re.compile(r"[A-Za-z]{3,}")
ALLOWED = {"Excel", "ECharts", "HMAC", "URL", "PDF", "IP"}


def english_labels(html: str) -> set[str]:
    found = set()
    for match in LABELS.finditer(html):
        text = re.sub(r"<[^>]+>", " ", match.group(1) or match.group(2) or "")
        words = set(ENGLISH.findall(text)) - ALLOWED
        if words:
            found.add(" ".join(text.split()))
    return found


@pytest.fixture
def root(client, db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def admin_pages():
    yield reverse("admin:index")
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{name}_changelist")
        yield reverse(f"{name}_add")


def test_the_admin_speaks_chinese(root):
    problems = {}
    for url in admin_pages():
        response = root.get(url)
        if response.status_code != 200:
            continue  # e.g. an add page the admin forbids
        if found := english_labels(response.content.decode()):
            problems[url] = sorted(found)
    labels = sorted({label for found in problems.values() for label in found})
    assert labels == [], "\n".join(labels)
