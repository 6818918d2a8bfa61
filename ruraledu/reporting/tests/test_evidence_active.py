"""Active content is refused: scripts and actions in PDFs (also hex-escaped or inside compressed
object streams), macros and embedded programs in Office files, data after an image's end.
Ordinary files of the same kinds still pass."""

import zlib

import pytest

from ruraledu.reporting.evidence import EvidenceRefused, check_evidence

from . import samples
from .samples import PAGE_OBJECTS, object_stream, ole, ooxml, pdf, stream

CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s>>"


def catalog(extra: bytes) -> bytes:
    return CATALOG % extra


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(EvidenceRefused) as caught:
        check_evidence(data, name)
    return caught.value.message


# ------------------------------------------------------------------ PDF


def test_a_plain_pdf_with_compressed_page_and_object_stream_passes():
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    data = pdf(
        catalog(b"/OpenAction [3 0 R /Fit] "),  # a destination, not an action
        *PAGE_OBJECTS[1:],
        object_stream(font),
    )
    assert check_evidence(data, "方案.pdf").content_type == "application/pdf"


def test_it_refuses_an_obfuscated_javascript_open_action():
    data = pdf(catalog(b"/OpenAction 5 0 R "), *PAGE_OBJECTS[1:], b"<< /S /J#61vaScript >>")
    message = refusal(data, "通知.pdf")
    assert message.startswith("PDF 文件“通知.pdf”含有JavaScript 脚本（/JavaScript）")
    assert "不予接收" in message


def test_it_refuses_an_open_action_that_runs_anything():
    data = pdf(catalog(b"/OpenAction << /S /URI /URI (http://x.example) >> "), *PAGE_OBJECTS[1:])
    assert "打开文件时自动执行的动作（/OpenAction）" in refusal(data, "a.pdf")


def test_an_open_action_that_only_goes_to_a_page_passes_even_from_an_object_stream():
    # as pdfTeX writes it: catalog and GoTo action both packed in an object stream
    packed = object_stream(catalog(b"/OpenAction 11 0 R "), b"<< /S /GoTo /D [3 0 R /Fit] >>")
    data = pdf(b"<< /Type /Catalog /Pages 2 0 R >>", *PAGE_OBJECTS[1:], packed)
    assert check_evidence(data, "手册.pdf").size == len(data)


def test_a_packed_open_action_that_opens_a_link_is_refused():
    packed = object_stream(catalog(b"/OpenAction 11 0 R "), b"<< /S /URI /URI (http://x.ex) >>")
    data = pdf(*PAGE_OBJECTS, packed)
    assert "（/OpenAction）" in refusal(data, "a.pdf")


def test_escapes_in_the_key_are_decoded_too():
    data = pdf(catalog(b"/#4F#70#65#6EAction << /#53 /#55RI >> "), *PAGE_OBJECTS[1:])
    assert "/OpenAction" in refusal(data, "a.pdf")


def test_it_refuses_javascript_inside_a_flate_object_stream():
    hidden = b"<< /S /JavaScript /JS (app.launchURL('http://x.example')) >>"
    data = pdf(catalog(b"/OpenAction 10 0 R "), *PAGE_OBJECTS[1:], object_stream(hidden))
    assert b"JavaScript" not in data  # only visible once inflated
    assert "JavaScript 脚本" in refusal(data, "a.pdf")


def test_an_object_stream_is_found_without_its_type_entry():
    hidden = b"<< /AA << /O << /S /JavaScript /JS (x) >> >> >>"
    data = pdf(*PAGE_OBJECTS, object_stream(hidden).replace(b"/Type /ObjStm ", b""))
    assert b"/AA" not in data
    assert "自动触发的动作（/AA）" in refusal(data, "a.pdf")


@pytest.mark.parametrize(
    ("feature", "rule"),
    [
        (b"/Names << /EmbeddedFiles 9 0 R >> ", "嵌入的附件"),
        (b"/AcroForm << /XFA 9 0 R >> ", "XFA 动态表单"),
        (b"/AA << /WC 9 0 R >> ", "自动触发的动作（/AA）"),
        (b"/Extra << /RichMedia 9 0 R >> ", "富媒体"),
        (b"/Extra << /S /Launch /F (cmd.exe) >> ", "启动程序的动作（/Launch）"),
        (b"/Extra << /S /Sub#6DitForm >> ", "提交表单数据的动作（/SubmitForm）"),
    ],
)
def test_it_refuses_each_kind_of_active_content(feature, rule):
    assert rule in refusal(pdf(catalog(feature), *PAGE_OBJECTS[1:]), "a.pdf")


def test_object_streams_it_cannot_decode_are_refused():
    # an encoding other than FlateDecode
    odd = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /LZWDecode", b"\x80\x0b\x60\x50")
    assert "无法检查的内容（对象流使用了无法检查的编码）" in refusal(
        pdf(*PAGE_OBJECTS, odd), "a.pdf"
    )
    # encrypted
    data = pdf(*PAGE_OBJECTS, object_stream(b"<< >>"), trailer=b"/Encrypt 9 0 R ")
    assert "文件已加密" in refusal(data, "a.pdf")
    # a bomb: more than the cap once inflated
    bomb = zlib.compress(b" " * (65 * 1024 * 1024), 9)
    data = pdf(*PAGE_OBJECTS, stream(b"/N 1 /First 4 /Filter /FlateDecode", bomb))
    assert "对象流解压后过大" in refusal(data, "a.pdf")


def test_two_letter_names_in_image_data_are_not_mistaken_for_scripts():
    pixels = b"\x00/JS " * 1000 + b"/AA)"
    data = pdf(*PAGE_OBJECTS, stream(b"/Subtype /Image /Filter /DCTDecode", pixels))
    assert check_evidence(data, "扫描件.pdf").size == len(data)


# ------------------------------------------------------------------ OLE (.doc / .xls)


def test_a_plain_doc_and_xls_pass():
    assert check_evidence(ole({"WordDocument": samples.WORD_STREAM}), "旧版.doc")
    assert check_evidence(ole({"Workbook": samples.biff_workbook()}), "名单.xls")


@pytest.mark.parametrize(
    ("tree", "name", "rule"),
    [
        (
            {"WordDocument": samples.WORD_STREAM, "Macros": {"VBA": {"dir": b"v" * 4096}}},
            "宏.doc",
            "宏（VBA 工程“Macros”）",
        ),
        ({"_VBA_PROJECT_CUR": {"VBA": {}}, "Workbook": samples.biff_workbook()}, "宏.xls", "宏"),
        ({"WordDocument": samples.WORD_STREAM, "_VBA_PROJECT": b"v" * 4096}, "a.doc", "VBA"),
        ({"Workbook": samples.biff_workbook(sheet_type=1)}, "宏表.xls", "Excel 4.0 宏表"),
        (
            {"WordDocument": samples.WORD_STREAM, "ObjectPool": {"_1": {"\x01Ole10Native": {}}}},
            "包.doc",
            "嵌入的程序或文件包",
        ),
    ],
)
def test_it_refuses_macros_in_old_office_files(tree, name, rule):
    message = refusal(ole(tree), name)
    assert f"“{name}”含有" in message and rule in message


def test_a_damaged_compound_file_is_refused():
    data = samples.ole({"WordDocument": samples.WORD_STREAM})[:600]
    assert "已损坏，无法读取" in refusal(data, "坏.doc")


# ------------------------------------------------------------------ Office Open XML


@pytest.mark.parametrize(
    ("extra", "content_types", "rule"),
    [
        ({"word/vbaProject.bin": "x"}, "<Types/>", "宏（VBA 工程）"),
        (
            {},
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            "宏（启用宏的文件类型）",
        ),
        ({"word/activeX/activeX1.bin": "x"}, "<Types/>", "ActiveX 控件"),
        ({"word/embeddings/oleObject1.bin": "x"}, "<Types/>", "嵌入的 OLE 对象"),
        (
            {
                "word/_rels/settings.xml.rels": '<Relationships><Relationship Id="r1" Type="http:'
                '//schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"'
                ' Target="http://x.example/t.dotm" TargetMode="External"/></Relationships>'
            },
            "<Types/>",
            "外部模板",
        ),
    ],
)
def test_it_refuses_macros_and_embedded_objects_in_docx(extra, content_types, rule):
    data = ooxml("word/document.xml", extra, content_types=content_types)
    assert rule in refusal(data, "方案.docx")


def test_a_docx_with_an_embedded_chart_workbook_and_links_passes():
    data = ooxml(
        "word/document.xml",
        {
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": "x",
            "word/_rels/document.xml.rels": '<Relationships><Relationship Id="r1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
            'Target="http://x.example" TargetMode="External"/></Relationships>',
        },
    )
    assert check_evidence(data, "方案.docx").size == len(data)


# ------------------------------------------------------------------ images


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (samples.png(), "a.png"),
        (samples.JPEG, "a.jpg"),
        (samples.JPEG + b"\x00" * 16, "padded.jpg"),
        (samples.jpeg_with_thumbnail(), "thumb.jpg"),
    ],
)
def test_whole_images_pass(data, name):
    assert check_evidence(data, name).size == len(data)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (samples.png() + b"<html><script>alert(1)</script></html>", "照片.png"),
        (samples.JPEG + b"<html></html>", "照片.jpg"),
        (samples.jpeg_with_thumbnail() + b"PK\x03\x04", "照片.jpg"),
    ],
)
def test_data_after_the_end_of_an_image_is_refused(data, name):
    message = refusal(data, name)
    assert f"“{name}”在图片结束之后还附带了" in message and "不予接收" in message


def test_a_truncated_image_is_refused():
    assert "找不到图片的结束标记" in refusal(samples.png()[:-12], "半张.png")
