"""Charts in documents: 300 dpi pictures drawn from the stored values the cockpit shows, with
the document's data version and time in their captions."""

import datetime as dt
import io

import pytest
from PIL import Image

from ruraledu.documents.periods import period_parse
from ruraledu.documents.services import progress_report_generate
from ruraledu.facilities.models import FacilityRecord
from ruraledu.indicators.choices import TargetStatus
from ruraledu.indicators.models import TargetState
from ruraledu.indicators.services import recompute

from .helpers import evaluated_on, read_docx


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def test_the_report_charts_the_stored_states_at_print_resolution(
    zichuan_plan, school_a, district_admin
):
    FacilityRecord.objects.create(
        school=school_a, year=2024, sanitary_toilets=True, classrooms=10, classrooms_lighting_ok=4
    )
    recompute(years=[2024])
    evaluated_on(dt.date(2024, 12, 1))
    document = progress_report_generate(
        plan=zichuan_plan, period=period_parse("2024-Y"), actor=district_admin
    )
    docx = read_docx(document.file)
    shapes = list(docx.inline_shapes)
    assert len(shapes) >= 1
    first = shapes[0]._inline.docPr
    # the bars are the stored target states, counted as the cockpit counts them
    stored = {
        TargetStatus(s).label: TargetState.objects.filter(
            target__plan=zichuan_plan, status=s
        ).count()
        for s in TargetStatus.values
    }
    expected = "；".join(f"{label} {n} 个" for label, n in stored.items() if n)
    assert first.get("descr") == expected
    stamp = (
        f"数据版本 {document.data_version_label} · 生成于 {document.generated_at:%Y-%m-%d %H:%M}"
    )
    # counted at the year's end, the day the caption names
    assert first.get("title") == f"图1 目标状态分布（截至2024-12-31，{stamp}）"
    captions = [p.text for p in docx.paragraphs if p.text.startswith("图1 ")]
    assert captions == [f"图1 目标状态分布（截至2024-12-31，{stamp}）"]
    # a PNG at 300 dpi, about 150 mm wide on the page
    blob = docx.part.related_parts[
        shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    ].blob
    image = Image.open(io.BytesIO(blob))
    assert image.format == "PNG"
    assert round(image.info["dpi"][0]) == 300
    assert round(shapes[0].width.mm) == 150
    assert image.width >= 150 / 25.4 * 300 - 2
