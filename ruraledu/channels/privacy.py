"""Nothing personal about a child leaves the platform: an outgoing message is a title and a
link, and the title is scrubbed of ID numbers and of any pupil's name before it is queued."""

import re

ID_NUMBER = re.compile(r"[A-Za-z]?\d{17}[\dXx]|\d{15,}")
HAN_RUN = re.compile(r"[\u4e00-\u9fff·]{2,}")
NAME_LENGTHS = range(2, 5)
HIDDEN = "＊＊"


def _name_candidates(text: str) -> set[str]:
    candidates = set()
    for run in HAN_RUN.findall(text):
        for length in NAME_LENGTHS:
            for start in range(len(run) - length + 1):
                candidates.add(run[start : start + length])
    return candidates


def scrub(text: str) -> tuple[str, bool]:
    """`text` without ID numbers and pupils' names; True when something was removed.
    One query for the whole text, whatever its length."""
    from ruraledu.students.models import StudentPerson

    cleaned = ID_NUMBER.sub(HIDDEN, text)
    candidates = _name_candidates(cleaned)
    names = (
        set(StudentPerson.objects.filter(name__in=candidates).values_list("name", flat=True))
        if candidates
        else set()
    )
    for name in sorted(names, key=len, reverse=True):
        cleaned = cleaned.replace(name, HIDDEN)
    return cleaned, cleaned != text
