"""The 公文 look (GB/T 9704) as far as python-docx reaches: A4 with the standard margins, the
title in a 小标宋-style face, the body in 仿宋-style 三号 (16 pt), headings in 黑体 and 楷体,
page numbers "— 1 —" at the foot. East Asian fonts are set in the styles (w:eastAsia) under
the official names; the font table names Debian's free Noto CJK serif as their alternative, so
a machine without the official fonts still shows a serif CJK face."""

import re

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FALLBACK_SERIF = "Noto Serif CJK SC"
FALLBACK_SANS = "Noto Sans CJK SC"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
ALTERNATIVES = {
    TITLE_FONT: FALLBACK_SERIF,
    BODY_FONT: FALLBACK_SERIF,
    SUBHEADING_FONT: FALLBACK_SERIF,
    HEADING_FONT: FALLBACK_SANS,
}

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(10.5)  # 五号, so that wide tables fit

# style name -> (East Asian font, size, bold, centred)
STYLES = {
    "Normal": (BODY_FONT, SIZE_3, False, False),
    "Title": (TITLE_FONT, SIZE_2, False, True),
    "Heading 1": (HEADING_FONT, SIZE_3, False, False),
    "Heading 2": (SUBHEADING_FONT, SIZE_3, False, False),
    "Heading 3": (BODY_FONT, SIZE_3, True, False),
    "公文表格": (BODY_FONT, SIZE_TABLE, False, False),
    "NoIndent": (BODY_FONT, SIZE_3, False, False),  # 主送机关
    "Signature": (BODY_FONT, SIZE_3, False, False),  # 落款
}


def set_fonts(rpr_owner, east_asian: str) -> None:
    """Name the East Asian and Latin fonts on a style or run (w:rFonts)."""
    rpr = rpr_owner.get_or_add_rPr() if hasattr(rpr_owner, "get_or_add_rPr") else rpr_owner
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    # theme fonts would override the names above in Word
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def set_language(rpr) -> None:
    """Chinese (PRC) as the East Asian language, so the PDF converter picks the SC glyphs."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def apply_gongwen(document) -> None:
    """Margins, styles, fonts and page numbers on `document` (idempotent)."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28 - 7)  # the number sits 7 mm below the text block
        _page_number_footer(section)
    styles = document.styles
    for name, (east_asian, size, bold, centred) in STYLES.items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        style.font.size = size
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = None
        set_fonts(style.element, east_asian)
        set_language(style.element.get_or_add_rPr())
        fmt = style.paragraph_format
        if name == "公文表格":
            # an explicit zero: None would inherit Normal's two-character indent
            fmt.first_line_indent, fmt.line_spacing = Pt(0), 1.0
            fmt.space_before = fmt.space_after = Pt(0)
        elif name == "Title":
            fmt.space_before, fmt.space_after = Pt(0), Pt(16)
            fmt.line_spacing = Pt(36)
        else:
            fmt.line_spacing = Pt(28)  # 28.95 pt per GB/T 9704 (22 lines a page)
            fmt.space_before = fmt.space_after = Pt(0)
            fmt.first_line_indent = Pt(32) if name == "Normal" else Pt(0)
        # LibreOffice carries "keep with next" from a heading into a long table after it and
        # then starts the table on a page of its own, leaving the page before nearly empty
        fmt.keep_with_next = False
        if centred:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if name == "Title":  # the default template draws a rule under the title
            ppr = style.element.get_or_add_pPr()
            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)
    _font_alternatives(document)


def _page_number_footer(section) -> None:
    """ "— 1 —" in 四号 at the foot, centred (GB/T 9704 puts odd pages right, even pages left;
    a centred number is the common practice for documents printed single-sided)."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = None
    for text in ("— ", None, " —"):
        run = paragraph.add_run()
        run.font.size = SIZE_4
        set_fonts(run._r, BODY_FONT)
        if text is not None:
            run.text = text
            continue
        # the cached result "1" sits between separate and end, or it prints beside the number
        for kind, value in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = value
            run._r.append(element)
            if kind == "separate":
                run._r.append(_text("1"))
    section.start_type = WD_SECTION.NEW_PAGE


def _text(value: str):
    element = OxmlElement("w:t")
    element.text = value
    return element


def _font_alternatives(document) -> None:
    """Declare each official font in the font table with the free font as its w:altName."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    parts = [
        rel.target_part
        for rel in document.part.rels.values()
        if rel.reltype == RELATIONSHIP_TYPE.FONT_TABLE
    ]
    if not parts:
        return
    part = parts[0]
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{"swiss" if "Sans" in alternative else "roman"}"/>'
        f"</w:font>"
        for name, alternative in ALTERNATIVES.items()
        if f'w:name="{name}"' not in xml
    )
    if entries:
        xml = re.sub(r"</w:fonts>\s*$", entries + "</w:fonts>", xml)
        part._blob = xml.encode("utf-8")


def add_table(document, header: list[str], rows: list[list[str]], widths_mm=None):
    """A real Word table with a repeated header row, in the 公文表格 style."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    style_id = document.styles["公文表格"].style_id
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, header, strict=True):
        _cell_text(cell, text, bold=True, style_id=style_id)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _cell_text(cell, text, style_id=style_id)
    widths_mm = widths_mm or [TEXT_WIDTH_MM / len(header)] * len(header)
    _fixed_widths(table, widths_mm)
    return table


TEXT_WIDTH_MM = 210 - 28 - 26


def _fixed_widths(table, widths_mm) -> None:
    """Column widths in the grid, the cells and the table, with a fixed layout: Word reads the
    cells, LibreOffice the grid; both then keep the widths instead of fitting the text."""
    scale = min(1.0, TEXT_WIDTH_MM / sum(widths_mm))
    widths = [Mm(w * scale) for w in widths_mm]
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _cell_text(cell, text: str, bold: bool = False, style_id: str = "") -> None:
    paragraph = cell.paragraphs[0]
    # by id: python-docx looks a style name up through every style, for every cell
    paragraph._p.get_or_add_pPr().style = style_id or "公文表格"
    run = paragraph.add_run(text)
    if bold:
        run.bold = True


def add_figure(document, png: bytes, caption: str, description: str, width_mm: float = 150):
    """A chart centred at `width_mm`, its caption below; `description` (the figures drawn, in
    words) is the picture's alternative text, so the values stay readable in the file."""
    import io

    paragraph = document.add_paragraph(style="公文表格")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    shape = run.add_picture(io.BytesIO(png), width=Mm(width_mm))
    properties = shape._inline.docPr
    properties.set("descr", description)
    properties.set("title", caption)
    label = document.add_paragraph(caption, style="公文表格")
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return shape
