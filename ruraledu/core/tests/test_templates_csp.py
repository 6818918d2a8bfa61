"""Templates hold nothing the content security policy refuses: no inline script, no inline
event handler, no javascript: link and no <style> element (behaviours live in
static/js/behaviours.js, styles in static/css/)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REFUSED = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "inline handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "htmx inline handler": re.compile(r"\shx-on[:-]", re.IGNORECASE),
    "javascript: link": re.compile(r"javascript:", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
}


def _templates() -> list[Path]:
    found = sorted((ROOT / "templates").rglob("*.html"))
    found += sorted((ROOT / "ruraledu").glob("*/templates/**/*.html"))
    return found


def refused_in(text: str) -> list[str]:
    return [name for name, pattern in REFUSED.items() if pattern.search(text)]


def test_the_scanner_finds_each_refused_form():
    # given one sample of each form the policy refuses, and allowed look-alikes
    samples = {
        "<script>alert(1)</script>": ["inline <script>"],
        '<button onclick="x()">': ["inline handler"],
        '<div hx-on:click="x()">': ["htmx inline handler"],
        '<a href="javascript:x()">': ["javascript: link"],
        "<style>p{}</style>": ["<style> element"],
        '<script src="/static/js/behaviours.js" defer></script>': [],
        '<select data-autosubmit name="year">': [],
        '<div style="height:36px" data-chart="c">': [],
    }
    # then each is found, and only those
    for text, expected in samples.items():
        assert refused_in(text) == expected, text


def test_no_template_holds_what_the_policy_refuses():
    # when every template of the project is read
    templates = _templates()
    found = {
        str(path.relative_to(ROOT)): refused_in(path.read_text(encoding="utf-8"))
        for path in templates
    }
    # then none holds an inline script, handler or style element
    assert len(templates) > 100
    assert {path: kinds for path, kinds in found.items() if kinds} == {}
