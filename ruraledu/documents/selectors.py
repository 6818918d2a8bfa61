"""Reads: the user's documents, one document within the user's scope."""

from django.shortcuts import get_object_or_404

from .models import GeneratedDocument


def document_list(*, user, action: str = "view"):
    return GeneratedDocument.objects.for_user(user, action).select_related(
        "generated_by", "final_uploaded_by", "template"
    )


def document_get(*, user, pk: int) -> GeneratedDocument:
    """404 for a document outside the user's scope, as for one that does not exist."""
    return get_object_or_404(GeneratedDocument.objects.for_user(user), pk=pk)
