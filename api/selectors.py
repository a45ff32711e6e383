"""Reads for the API and the API key pages, built on the selectors of the owning apps."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from opvang.models import PlacementRequest
from opvang.selectors import requests_by_coordinator, requests_to_answer
from organisations.selectors import administered_organisations

from .models import ApiKey


def keys_administered_by(user) -> QuerySet[ApiKey]:
    """The keys of every organisation the user administers, newest first."""
    return ApiKey.objects.filter(organisation__in=administered_organisations(user)).select_related(
        "organisation", "created_by"
    )


def administered_key_or_404(user, public_id) -> ApiKey:
    return get_object_or_404(keys_administered_by(user), public_id=public_id)


def placement_requests_for(user) -> QuerySet[PlacementRequest]:
    """Requests the user answers or follows (their provider's, CoMensha's COSM requests) and
    those their coordinators sent."""
    received = requests_to_answer(user).values("pk")
    sent = requests_by_coordinator(user).values("pk")
    return (
        PlacementRequest.objects.filter(Q(pk__in=received) | Q(pk__in=sent))
        .select_related("offer", "requesting_organisation")
        .order_by("-created_at", "pk")
    )
