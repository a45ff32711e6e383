"""Reads for opvang. Who may see what (the overview, the confidential address) is decided in
`access.roles`; objects a user may not see answer 404.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from access.roles import may_use_overview, placing_organisations
from organisations.models import Organisation
from organisations.selectors import coordinator_organisations, provider_organisations
from regions.models import Region
from regions.selectors import area_position
from signals.models import ExploitationForm, Signal

from .geography import Position
from .matching import OfferFacts
from .models import Offer, PlacementRequest


def is_stale(updated_at: datetime, now: datetime | None = None) -> bool:
    return updated_at < (now or timezone.now()) - settings.OPVANG_STALE_AFTER


def stale_before(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - settings.OPVANG_STALE_AFTER


def _with_relations(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    return offers.select_related("provider", "region", "municipality").prefetch_related("forms")


def overview_offers(
    *,
    region: Region | None = None,
    form: ExploitationForm | None = None,
    kind: str = "",
    gender: str = "",
    minors: bool | None = None,
    now: datetime | None = None,
) -> list[Offer]:
    """Active offers for a region (or the whole country), free and fresh first, stale marked."""
    offers = Offer.objects.filter(is_active=True)
    if region is not None:
        offers = offers.filter(region=region)
    if form is not None:
        offers = offers.filter(forms=form)
    if kind:
        offers = offers.filter(kind=kind)
    if gender:
        offers = offers.filter(genders__contains=[gender])
    if minors is True:
        offers = offers.filter(accepts_minors=True)
    elif minors is False:
        offers = offers.filter(accepts_adults=True)
    threshold = stale_before(now)
    result = list(_with_relations(offers))
    for offer in result:
        offer.stale = offer.updated_at < threshold
    result.sort(key=lambda o: (o.free_places <= 0, o.stale, o.region.name, -o.free_places, o.name))
    return result


def signal_position(signal: Signal) -> Position | None:
    """Where a signal is, for distances: its municipality, else the middle of its area."""
    if signal.municipality_id and signal.municipality.position:
        return signal.municipality.position
    return area_position(signal.region) if signal.region_id else None


def offer_facts(offer: Offer, now: datetime | None = None) -> OfferFacts:
    return OfferFacts(
        name=offer.name,
        kind=offer.kind,
        region_code=offer.region.code,
        genders=frozenset(offer.genders),
        accepts_adults=offer.accepts_adults,
        accepts_minors=offer.accepts_minors,
        forms=frozenset(form.code for form in offer.forms.all()),
        languages=frozenset(offer.languages),
        accepts_children=offer.accepts_children,
        wheelchair_access=offer.wheelchair_access,
        secure_address=offer.secure_address,
        free_places=offer.free_places,
        position=offer.municipality.position,
        is_stale=is_stale(offer.updated_at, now),
        offer=offer,
    )


def matching_candidates(now: datetime | None = None) -> list[OfferFacts]:
    return [
        offer_facts(offer, now) for offer in _with_relations(Offer.objects.filter(is_active=True))
    ]


def visible_offer_or_404(user, public_id) -> Offer:
    if not may_use_overview(user):
        raise Http404
    offer = _with_relations(Offer.objects.filter(public_id=public_id)).first()
    if offer is None:
        raise Http404
    return offer


def own_offers(user) -> QuerySet[Offer]:
    """The offers of the user's provider organisations."""
    return _with_relations(Offer.objects.filter(provider__in=provider_organisations(user)))


def own_offer_or_404(user, public_id) -> Offer:
    offer = own_offers(user).filter(public_id=public_id).first()
    if offer is None:
        raise Http404
    return offer


def requests_to_answer(user) -> QuerySet[PlacementRequest]:
    """The requests the user decides on (their provider's, CoMensha's COSM requests for its
    coordinators), and the requests for their own offers that CoMensha decides on, to follow.
    Open ones first."""
    return (
        PlacementRequest.objects.filter(
            Q(placing_organisation__in=placing_organisations(user))
            | Q(offer__provider__in=provider_organisations(user))
        )
        .select_related(
            "offer__provider", "offer__region", "requesting_organisation", "placing_organisation"
        )
        .order_by("status", "-created_at")
    )


def provider_request_or_404(user, public_id) -> PlacementRequest:
    """A request the user decides on; any other (one CoMensha decides, for its provider) 404."""
    request = (
        PlacementRequest.objects.filter(placing_organisation__in=placing_organisations(user))
        .filter(public_id=public_id)
        .first()
    )
    if request is None:
        raise Http404
    return request


def requests_by_coordinator(user) -> QuerySet[PlacementRequest]:
    """Requests sent by the user's coordinator organisations; unanswered after a reminder first."""
    return (
        PlacementRequest.objects.filter(requesting_organisation__in=coordinator_organisations(user))
        .select_related("offer__provider", "offer__region", "signal", "placing_organisation")
        .order_by("status", F("reminded_at").desc(nulls_last=True), "-created_at")
    )


def placements_for_signal(signal: Signal) -> QuerySet[PlacementRequest]:
    """The placement requests of one signal, for the signal page and the find-a-place page."""
    return signal.placement_requests.select_related(
        "offer__provider", "offer__region", "placing_organisation"
    ).order_by("-created_at")


def national_overview(*, form: ExploitationForm | None = None) -> list[dict]:
    """Free places per region x kind for each form of exploitation, national desk excluded.

    Returns one entry per form: {"form", "kinds", "rows": [{"region", "cells": [free per kind],
    "offers": n, "free": total}]}. A row with no fitting offer has offers == 0.
    """
    forms = [form] if form is not None else list(ExploitationForm.objects.all())
    regions = list(Region.objects.filter(kind=Region.Kind.REGIONAL, is_active=True))
    kinds = list(Offer.Kind)
    counts = (
        Offer.objects.filter(is_active=True, forms__in=forms)
        .values("forms", "region", "kind")
        .annotate(free=Sum("free_places"), offers=Count("pk"))
    )
    cells: dict = defaultdict(lambda: {"free": 0, "offers": 0})
    for row in counts:
        cells[(row["forms"], row["region"], row["kind"])] = row
    tables = []
    for exploitation_form in forms:
        rows = []
        for region in regions:
            per_kind = [cells[(exploitation_form.pk, region.pk, kind.value)] for kind in kinds]
            rows.append(
                {
                    "region": region,
                    "cells": [cell["free"] for cell in per_kind],
                    "offers": sum(cell["offers"] for cell in per_kind),
                    "free": sum(cell["free"] for cell in per_kind),
                }
            )
        tables.append({"form": exploitation_form, "kinds": kinds, "rows": rows})
    return tables


def coordinator_organisation_for(user, signal: Signal) -> Organisation:
    """The coordinator organisation the user acts for on `signal`: the one serving its region."""
    organisations = coordinator_organisations(user).order_by("pk")
    return organisations.filter(regions=signal.region_id).first() or organisations.first()


def describe_needs(needs: dict) -> str:
    """A stored needs dict in the reader's language, for the provider's list of requests."""
    parts = []
    if needs.get("gender") in Offer.Gender.values:
        parts.append(str(Offer.Gender(needs["gender"]).label))
    if needs.get("is_minor") is not None:
        parts.append(str(_("minor") if needs["is_minor"] else _("adult")))
    if needs.get("language"):
        parts.append(str(dict(settings.LANGUAGES).get(needs["language"], needs["language"])))
    if needs.get("form"):
        form = ExploitationForm.objects.filter(code=needs["form"]).first()
        parts.append(form.name if form else needs["form"])
    if needs.get("kind") in Offer.Kind.values:
        parts.append(str(Offer.Kind(needs["kind"]).label))
    labels = {
        "with_children": _("with children"),
        "wheelchair": _("needs wheelchair access"),
        "secure_address": _("needs a secure address"),
    }
    parts.extend(str(label) for key, label in labels.items() if needs.get(key))
    return "; ".join(parts)


def needs_known_from(signal: Signal) -> dict:
    """What the signal already tells about the person, to start the needs form with."""
    initial = {}
    if signal.involves_minor is not None:
        initial["age"] = "minor" if signal.involves_minor else "adult"
    forms = [form.code for form in signal.forms.all()]
    if len(forms) == 1:
        initial["form"] = forms[0]
    return initial
