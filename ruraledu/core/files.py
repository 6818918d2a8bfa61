"""Stored files (evidence, case files, documents) go out one way: as an attachment the
browser will neither sniff nor run."""

from django.http import FileResponse, Http404


def attachment(field, *, filename: str, content_type: str) -> FileResponse:
    """The file of a FileField as a download; a file gone from storage is a 404."""
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已不存在。") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
