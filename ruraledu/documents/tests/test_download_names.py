"""A generated document's download is named with the local time it was generated, the same
time the document prints (the database holds it in UTC)."""

import datetime as dt

from ruraledu.documents.models import GeneratedDocument


def test_the_download_names_carry_the_local_time_of_generation():
    # generated at 01:30 on 7 December in Beijing, 17:30 on the 6th in UTC
    document = GeneratedDocument(
        title="进展报告", generated_at=dt.datetime(2026, 12, 6, 17, 30, tzinfo=dt.UTC)
    )
    assert document.download_name == "进展报告（202612070130生成）.docx"
    assert document.pdf_download_name == "进展报告（202612070130生成）.pdf"
