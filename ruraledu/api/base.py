"""What every API view shares: paging, the body-size limit, strict request serializers."""

from django.conf import settings
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from .errors import PayloadTooLarge

JSON_LIMIT = 5 * 1024 * 1024


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def body_limit(request) -> int:
    if request.content_type.startswith("multipart/"):
        return settings.IMPORT_MAX_UPLOAD_BYTES + 64 * 1024
    return JSON_LIMIT


class BodyLimitMixin:
    """Refuse an oversized body before anything reads it."""

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            raise PayloadTooLarge(f"请求体过大（{length} 字节），上限为 {limit} 字节。")
        super().initial(request, *args, **kwargs)


class StrictSerializer(serializers.Serializer):
    """A request body: a field it does not know is an error, not silently dropped
    (nested bodies too, which is why this is checked here and not in `validate`)."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["未知字段，接口不接受该字段。"] for name in unknown}
                )
        return super().to_internal_value(data)
