"""Opvang pages: the overview, a provider's offers and requests, find a place, national figures.

Every view needs a verified sign-in; anything the user may not see answers 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import roles
from access.permissions import TRIAGE
from access.selectors import get_signal_for
from access.services import log_read
from accounts.decorators import verified_login_required
from organisations.selectors import provider_organisations
from signals.models import Signal

from . import selectors, services
from .forms import DeclineForm, FreePlacesForm, NeedsForm, OfferForm, OverviewFilterForm
from .matching import rank_offers
from .models import Offer


@verified_login_required
def overview(request):
    if not roles.may_use_overview(request.user):
        raise Http404
    filter_form = OverviewFilterForm(request.GET or None)
    filters = filter_form.filters() if filter_form.is_valid() else {}
    offers = selectors.overview_offers(**filters)
    address_visible = roles.address_visible_for(request.user)
    for offer in offers:
        offer.show_address = address_visible(offer.provider_id)
    context = {
        "filter_form": filter_form,
        "offers": offers,
        "is_provider": roles.is_provider(request.user),
        "answers_placements": roles.answers_placements(request.user),
        "is_coordinator": roles.is_coordinator(request.user),
        "is_national": roles.may_see_national_overview(request.user),
    }
    return render(request, "opvang/overview.html", context)


@verified_login_required
def offer_detail(request, public_id):
    offer = selectors.visible_offer_or_404(request.user, public_id)
    context = {
        "offer": offer,
        "stale": selectors.is_stale(offer.updated_at),
        "show_address": roles.can_see_address(request.user, offer.provider_id),
        "is_own": selectors.own_offers(request.user).filter(pk=offer.pk).exists(),
    }
    return render(request, "opvang/offer_detail.html", context)


def _provider_or_404(user) -> None:
    if not roles.is_provider(user):
        raise Http404


def _render_own_offers(request, invalid_form=None, status=200):
    offers = list(selectors.own_offers(request.user))
    for offer in offers:
        offer.stale = selectors.is_stale(offer.updated_at)
        if invalid_form is not None and invalid_form.offer.pk == offer.pk:
            offer.places_form = invalid_form
        else:
            offer.places_form = FreePlacesForm(
                initial={"free_places": offer.free_places}, offer=offer, prefix=str(offer.public_id)
            )
    return render(request, "opvang/provider_offers.html", {"offers": offers}, status=status)


@verified_login_required
def provider_offers(request):
    _provider_or_404(request.user)
    return _render_own_offers(request)


@verified_login_required
@require_POST
def offer_places(request, public_id):
    """The one-tap update: minus and plus buttons, "still correct", or a typed number."""
    offer = selectors.own_offer_or_404(request.user, public_id)
    action = request.POST.get("action")
    if action in ("minus", "plus"):
        if not services.adjust_free_places(offer, delta=-1 if action == "minus" else 1):
            messages.error(request, _("Free places must stay between 0 and the total places."))
    elif action == "confirm":
        services.confirm_free_places(offer)
    else:
        form = FreePlacesForm(request.POST, offer=offer, prefix=str(offer.public_id))
        if not form.is_valid():
            return _render_own_offers(request, invalid_form=form, status=400)
        if not services.set_free_places(offer, free_places=form.cleaned_data["free_places"]):
            messages.error(request, _("Free places cannot be more than the total places."))
    offer.refresh_from_db()
    messages.success(
        request,
        _("%(name)s: %(free)d of %(total)d places free.")
        % {"name": offer.name, "free": offer.free_places, "total": offer.total_places},
    )
    return redirect(f"{reverse('opvang:provider_offers')}#offer-{offer.public_id}")


def _edit_offer(request, offer: Offer | None):
    providers = provider_organisations(request.user)
    form = OfferForm(request.POST or None, instance=offer, providers=providers)
    if request.method == "POST" and form.is_valid():
        saved = services.save_offer(form.save(commit=False), forms=form.cleaned_data["forms"])
        messages.success(request, _("The offer was saved."))
        return redirect("opvang:offer_detail", public_id=saved.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "opvang/offer_form.html", {"form": form, "offer": offer}, status=status)


@verified_login_required
def offer_create(request):
    _provider_or_404(request.user)
    return _edit_offer(request, None)


@verified_login_required
def offer_edit(request, public_id):
    return _edit_offer(request, selectors.own_offer_or_404(request.user, public_id))


@verified_login_required
def provider_requests(request):
    """The requests the user answers (a provider's; CoMensha's for COSM), and those for the
    provider's own offers that CoMensha decides on."""
    if not roles.answers_placements(request.user):
        raise Http404
    return _render_requests(request)


def _render_requests(request, **extra):
    placements = list(selectors.requests_to_answer(request.user)[:200])
    deciding = set(roles.placing_organisations(request.user).values_list("pk", flat=True))
    address_visible = roles.address_visible_for(request.user)
    for placement in placements:
        placement.needs_text = selectors.describe_needs(placement.needs)
        placement.decides = placement.placing_organisation_id in deciding
        placement.offer.show_address = address_visible(placement.offer.provider_id)
    status = 400 if extra else 200
    return render(
        request, "opvang/provider_requests.html", {"requests": placements, **extra}, status=status
    )


@verified_login_required
@require_POST
def request_accept(request, public_id):
    placement = selectors.provider_request_or_404(request.user, public_id)
    try:
        services.accept_request(placement, by=request.user)
    except services.PlacementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Accepted. One free place fewer in %s.") % placement.offer)
    return redirect("opvang:provider_requests")


@verified_login_required
@require_POST
def request_decline(request, public_id):
    placement = selectors.provider_request_or_404(request.user, public_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_requests(request, invalid_request=placement, decline_form=form)
    try:
        services.decline_request(placement, by=request.user, reason=form.cleaned_data["reason"])
    except services.PlacementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Declined. The coordinator sees your reason."))
    return redirect("opvang:provider_requests")


def _coordinator_signal_or_404(user, signal_public_id) -> Signal:
    """A signal the user coordinates (triage permission); anything else answers 404."""
    if not roles.is_coordinator(user):
        raise Http404
    return get_signal_for(user, signal_public_id, TRIAGE)


def _ranked(signal: Signal, needs):
    home = signal.region.code if signal.region_id else None
    return rank_offers(
        needs, selectors.matching_candidates(), home, selectors.signal_position(signal)
    )


@verified_login_required
def find_place(request, signal_public_id):
    signal = _coordinator_signal_or_404(request.user, signal_public_id)
    log_read(request.user, signal=signal, purpose="find a shelter place")
    needs_form = NeedsForm(request.GET or None, initial=selectors.needs_known_from(signal))
    ranked = _ranked(signal, needs_form.needs()) if needs_form.is_valid() else None
    context = {
        "signal": signal,
        "needs_form": needs_form,
        "ranked": ranked,
        "query": request.GET.urlencode(),
        "placements": selectors.placements_for_signal(signal),
    }
    return render(request, "opvang/find_place.html", context)


@verified_login_required
@require_POST
def request_place(request, signal_public_id):
    signal = _coordinator_signal_or_404(request.user, signal_public_id)
    needs_form = NeedsForm(request.POST)
    offer = Offer.objects.filter(public_id=request.POST.get("offer"), is_active=True).first()
    if offer is None or not needs_form.is_valid():
        raise Http404
    organisation = selectors.coordinator_organisation_for(request.user, signal)
    try:
        placement = services.request_placement(
            signal,
            offer=offer,
            needs=needs_form.needs(),
            by=request.user,
            organisation=organisation,
        )
    except services.PlacementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request was sent to %s.") % placement.placing_organisation)
    query = urlencode({k: v for k, v in needs_form.data.items() if k in needs_form.fields})
    return redirect(f"{reverse('opvang:find_place', args=[signal.public_id])}?{query}")


@verified_login_required
def coordinator_requests(request):
    if not roles.is_coordinator(request.user):
        raise Http404
    context = {"requests": selectors.requests_by_coordinator(request.user)[:200]}
    return render(request, "opvang/coordinator_requests.html", context)


@verified_login_required
def national(request):
    if not roles.may_see_national_overview(request.user):
        raise Http404
    context = {"tables": selectors.national_overview(), "kinds": list(Offer.Kind)}
    return render(request, "opvang/national.html", context)
