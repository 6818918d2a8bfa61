"""The main text of a plan: its header (title, 文号, date, goals) and the numbered parts （一）…"""

import re

from ruraledu.orgunits.departments import normalise

CN_NUM = "一二三四五六七八九十"


def split_departments(cell: str) -> list[str]:
    """Department names from a cell: one per line or separated by 、，; a line that is only
    a bracketed alias belongs to the name above it."""
    names: list[str] = []
    for part in re.split(r"[\n、，,；;]", cell):
        part = normalise(part)
        if not part:
            continue
        if names and re.fullmatch(r"（.+）", part):
            names[-1] += part
        else:
            names.append(part)
    return names


SECTION_RE = re.compile(r"^（([一二三四五六七八九十]+)）(.+)$")
HEADING_RE = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")


def _cn_to_int(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_NUM.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_NUM.index(tens) + 1) * 10 + (CN_NUM.index(ones) + 1 if ones else 0)
    return CN_NUM.index(text) + 1


def _trailing_bracket(text: str) -> tuple[str, str]:
    """Split "正文（区教体局牵头，…配合）" into (正文, inner) honouring nested brackets."""
    text = text.rstrip("。 ")
    if not text or text[-1] not in "）〕)":
        return text, ""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in "）〕)":
            depth += 1
        elif text[i] in "（〔(":
            depth -= 1
            if depth == 0:
                return text[:i].rstrip(), text[i + 1 : -1]
    return text, ""


def parse_responsibility(inner: str) -> tuple[list[str], list[str]]:
    lead: list[str] = []
    partners: list[str] = []
    for clause in re.split(r"[，,；;](?![^（]*）)", inner):
        clause = clause.strip()
        if clause.endswith("牵头"):
            lead += split_departments(clause.removesuffix("牵头"))
        elif clause.endswith("配合") or clause.endswith("参与"):
            partners += split_departments(clause[:-2])
        elif clause:
            lead += split_departments(clause)
    return lead, partners


def parse_body(paragraphs: list[str]) -> dict:
    header: dict = {}
    sections: list[dict] = []
    kind = "action"
    for i, text in enumerate(paragraphs):
        if m := re.search(r"[\u4e00-\u9fa5]+〔\d{4}〕\d+号", text):
            header.setdefault("document_number", m.group(0))
        if m := re.search(r"关于印发《(.+?)》的通知", text):
            header.setdefault("title", m.group(1))
            if i > 0 and not header.get("issuer"):
                header["issuer"] = paragraphs[i - 1]
        if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text):
            header.setdefault("issued_on", f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}")
        if text.startswith("为") and "制定" in text and "preamble" not in header:
            header["preamble"] = text
        if m := HEADING_RE.match(text):
            if "目标" in m.group(2) and i + 1 < len(paragraphs):
                header.setdefault("goal_text", paragraphs[i + 1])
            kind = "guarantee" if "保障" in m.group(2) else "action"
            continue
        if m := SECTION_RE.match(text):
            body, inner = _trailing_bracket(m.group(2))
            title, _, rest = body.partition("。")
            lead, partners = parse_responsibility(inner)
            sections.append(
                {
                    "number": _cn_to_int(m.group(1)),
                    "kind": kind,
                    "title": title,
                    "text": body,
                    "lead": lead,
                    "partners": partners,
                }
            )
    return {"header": header, "sections": sections}
