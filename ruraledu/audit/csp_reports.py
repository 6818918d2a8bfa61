"""Content-security-policy violation reports sent by browsers (`report-uri`, and the Reporting
API's `report-to` format), stored for the bureau. Anyone may send one, so: the body is capped,
each address may send a few a minute (counted in the shared cache, the address only hashed),
the table stops taking new kinds beyond a ceiling, and nothing from the report is trusted."""

import hashlib
import json
import time
from urllib.parse import urlsplit, urlunsplit

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import CspReport

MAX_BODY = 16 * 1024
PER_MINUTE = 30
MAX_KINDS = 5000
COUNTS_CACHE = "api_throttle"  # the counts cache every worker shares


class ReportRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def rate_allows(address: str | None) -> bool:
    """At most PER_MINUTE reports a minute from one address (fixed window)."""
    cache = caches[COUNTS_CACHE]
    who = hashlib.sha256((address or "-").encode()).hexdigest()[:24]
    key = f"csp-report:{who}:{int(time.time() // 60)}"
    cache.add(key, 0, 120)
    try:
        return cache.incr(key) <= PER_MINUTE
    except ValueError:  # expired between add and incr
        return True


def _uri(value) -> str:
    """An address without its query string or fragment; keywords ('inline', 'eval') as sent."""
    text = str(value or "")[:2000]
    parts = urlsplit(text)
    if parts.scheme in ("http", "https"):
        text = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return text[:300]


def _int(value) -> int | None:
    return value if isinstance(value, int) and 0 <= value < 2**31 else None


def parse(body: bytes) -> list[dict]:
    """The violations in a report body, in one shape, or ReportRefused."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ReportRefused(400, "报告不是有效的 JSON。") from None
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        raw = data["csp-report"]
        items = [
            {
                "document": raw.get("document-uri"),
                "directive": raw.get("effective-directive") or raw.get("violated-directive"),
                "blocked": raw.get("blocked-uri"),
                "source": raw.get("source-file"),
                "line": raw.get("line-number"),
                "sample": raw.get("script-sample"),
                "disposition": raw.get("disposition"),
            }
        ]
    elif isinstance(data, list):
        items = [
            {
                "document": body.get("documentURL"),
                "directive": body.get("effectiveDirective"),
                "blocked": body.get("blockedURL"),
                "source": body.get("sourceFile"),
                "line": body.get("lineNumber"),
                "sample": body.get("sample"),
                "disposition": body.get("disposition"),
            }
            for entry in data[:20]
            if isinstance(entry, dict)
            and entry.get("type") == "csp-violation"
            and isinstance(body := entry.get("body"), dict)
        ]
    else:
        raise ReportRefused(400, "不是内容安全策略违规报告。")
    cleaned = []
    for item in items:
        if not item["document"] or not item["directive"]:
            continue
        cleaned.append(
            {
                "document": _uri(item["document"]),
                "directive": str(item["directive"])[:100],
                "blocked": _uri(item["blocked"]),
                "source": _uri(item["source"]),
                "line": _int(item["line"]),
                "sample": str(item["sample"] or "")[:100],
                "disposition": str(item["disposition"] or "")[:10],
            }
        )
    if not cleaned:
        raise ReportRefused(400, "报告缺少页面或违反的指令。")
    return cleaned


def _fingerprint(report: dict) -> str:
    key = [report[k] for k in ("document", "directive", "blocked", "source", "line")]
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()


def csp_report_receive(*, body: bytes, address: str | None) -> int:
    """Store the violations of one report body; returns how many were counted."""
    if len(body) > MAX_BODY:
        raise ReportRefused(413, f"报告过大，上限为 {MAX_BODY} 字节。")
    violations = parse(body)
    if not rate_allows(address):
        raise ReportRefused(429, "报告过于频繁，请稍后再试。")
    now = timezone.now()
    counted = 0
    for report in violations:
        fingerprint = _fingerprint(report)
        seen = CspReport.objects.filter(fingerprint=fingerprint)
        if seen.update(count=F("count") + 1, last_seen=now):
            counted += 1
            continue
        if CspReport.objects.count() >= MAX_KINDS:
            continue  # a flood of new kinds stops here; known kinds are still counted
        try:
            with transaction.atomic():
                CspReport.objects.create(fingerprint=fingerprint, last_seen=now, **report)
        except IntegrityError:  # the same kind arrived at the same moment from elsewhere
            seen.update(count=F("count") + 1, last_seen=now)
        counted += 1
    return counted
