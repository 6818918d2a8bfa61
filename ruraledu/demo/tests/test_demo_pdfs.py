"""The demo's evidence files (证明、佐证、评估意见、通报) open as real one-page PDFs: every object
the cross-reference table names sits at its offset, and the catalogue reaches a page."""

import re

import pytest

from ruraledu.demo.care import CERTIFICATE_PDF
from ruraledu.demo.hotline import PDF as HOTLINE_PDF
from ruraledu.evaluation.demo import DEMO_PDF as EVALUATION_PDF
from ruraledu.inclusion.demo import EVIDENCE_PDF
from ruraledu.reporting.evidence import check_evidence


@pytest.mark.parametrize("data", [CERTIFICATE_PDF, HOTLINE_PDF, EVALUATION_PDF, EVIDENCE_PDF])
def test_a_demo_pdf_is_a_readable_page(data):
    start = re.search(rb"startxref\s+(\d+)", data)
    assert start, "no cross-reference table: viewers refuse the file"
    xref = int(start.group(1))
    assert data[xref:].startswith(b"xref")
    first, count = map(int, re.match(rb"xref\s+(\d+) (\d+)\s+", data[xref:]).groups())
    entries = re.findall(rb"(\d{10}) \d{5} n", data[xref:])
    assert len(entries) == count - 1
    for number, offset in enumerate(entries, start=first + 1):
        assert data[int(offset) :].startswith(b"%d 0 obj" % number)
    assert b"/Type /Page " in data and b"/Count 1" in data
    check_evidence(data, "证明.pdf")  # the upload checks still take it
