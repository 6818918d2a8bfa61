"""The bureau's view of the group robots: channels with their counts and the messages that
failed or wait for a retry."""

from django.db.models import Count, Q
from django.http import Http404

from ruraledu.accounts.policy import is_bureau

from .choices import DeliveryStatus
from .models import ChannelDelivery, WebhookChannel


def _ensure_bureau(user) -> None:
    if not is_bureau(user):
        raise Http404


def channel_list(*, user):
    _ensure_bureau(user)
    return WebhookChannel.objects.select_related("org_unit", "department").annotate(
        sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        waiting=Count(
            "deliveries",
            filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]),
        ),
    )


def delivery_problem_list(*, user, limit: int = 100):
    """Given-up messages and those waiting for a retry, newest first."""
    _ensure_bureau(user)
    return ChannelDelivery.objects.filter(
        status__in=[DeliveryStatus.FAILED, DeliveryStatus.RETRYING]
    ).select_related("channel")[:limit]
