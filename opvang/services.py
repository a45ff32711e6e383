"""Changes in opvang: offers and free places, placement requests and their answers, reminders.

Free places change only through conditional UPDATEs (`free_places = free_places - 1 WHERE
free_places > 0`), so two acceptances of the last place cannot both succeed, and the database
check constraint keeps 0 <= free <= total whatever happens.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from inbox.models import UnreadMark
from inbox.services import mark_unread
from meldpunt.core.queueing import enqueue_on_commit
from organisations.models import Organisation
from organisations.selectors import national_coordination_centre
from signals.models import ExploitationForm, Signal, SignalEvent

from .matching import Needs
from .models import Offer, PlacementRequest

logger = logging.getLogger(__name__)
Status = PlacementRequest.Status


class PlacementError(Exception):
    """A placement action that cannot be done; the message is shown to the user."""


class NoFreePlace(PlacementError):
    pass


class AlreadyAnswered(PlacementError):
    pass


class AlreadyRequested(PlacementError):
    pass


@transaction.atomic
def save_offer(offer: Offer, *, forms: Iterable[ExploitationForm]) -> Offer:
    """Store a new or edited offer. Its region is the region of its municipality."""
    offer.region = offer.municipality.region
    offer.updated_at = timezone.now()
    offer.save()
    offer.forms.set(forms)
    return offer


def adjust_free_places(offer: Offer, *, delta: int) -> bool:
    """One tap: one place more or fewer. False when that would leave 0..total."""
    offers = Offer.objects.filter(pk=offer.pk)
    if delta < 0:
        offers = offers.filter(free_places__gte=-delta)
    else:
        offers = offers.filter(free_places__lte=F("total_places") - delta)
    return bool(offers.update(free_places=F("free_places") + delta, updated_at=timezone.now()))


def set_free_places(offer: Offer, *, free_places: int) -> bool:
    """Set the number of free places; False when it is above the offer's total."""
    return bool(
        Offer.objects.filter(pk=offer.pk, total_places__gte=free_places).update(
            free_places=free_places, updated_at=timezone.now()
        )
    )


def confirm_free_places(offer: Offer) -> None:
    """The number is still right: the offer is fresh again."""
    Offer.objects.filter(pk=offer.pk).update(updated_at=timezone.now())


def _record(request: PlacementRequest, actor: User) -> None:
    SignalEvent.objects.create(
        signal_id=request.signal_id,
        kind=SignalEvent.Kind.PLACEMENT,
        actor=actor,
        detail={
            "request": str(request.public_id),
            "status": request.status,
            "offer": str(request.offer.public_id),
            "offer_name": request.offer.name,
            "provider": request.offer.provider.name,
            "placing_organisation": request.placing_organisation.name,
            "reason": request.reason,
        },
    )


def _stored_needs(needs: Needs) -> dict:
    """Only the needs that were given; "adult" (is_minor False) is a given need."""
    return {
        key: value
        for key, value in asdict(needs).items()
        if value not in ("", None, False) or (key == "is_minor" and value is False)
    }


def placing_organisation_for(offer: Offer) -> Organisation:
    """Who decides on a request for `offer`: CoMensha for a COSM place, since it holds the
    placement authority there; the provider for any other offer. Until the portal has a CoMensha
    organisation, the COSM provider answers itself, as before."""
    if offer.kind == Offer.Kind.COSM:
        comensha = national_coordination_centre()
        if comensha is not None:
            return comensha
    return offer.provider


def request_placement(
    signal: Signal, *, offer: Offer, needs: Needs, by: User, organisation: Organisation
) -> PlacementRequest:
    """Ask for a place for the person of `signal`: the provider, or for COSM CoMensha, decides,
    and its people are told by mail."""
    if offer.free_places <= 0:
        raise NoFreePlace(_("This offer has no free place. Choose another offer."))
    try:
        with transaction.atomic():
            request = PlacementRequest.objects.create(
                signal=signal,
                offer=offer,
                needs=_stored_needs(needs),
                requested_by=by,
                requesting_organisation=organisation,
                placing_organisation=placing_organisation_for(offer),
            )
            _record(request, by)
            from .tasks import mail_new_request

            enqueue_on_commit(mail_new_request, request.pk)
    except IntegrityError as error:
        raise AlreadyRequested(
            _("A request for this person to this offer is already waiting for an answer.")
        ) from error
    return request


def _lock_open(request: PlacementRequest) -> PlacementRequest:
    locked = (
        PlacementRequest.objects.select_for_update(of=("self",))
        .select_related("offer__provider", "placing_organisation")
        .get(pk=request.pk)
    )
    if locked.status != Status.REQUESTED:
        raise AlreadyAnswered(_("This request was already answered or has expired."))
    return locked


def accept_request(request: PlacementRequest, *, by: User) -> PlacementRequest:
    """Accept: one free place fewer, atomically. Raises NoFreePlace when the last place is gone."""
    with transaction.atomic():
        request = _lock_open(request)
        now = timezone.now()
        # Waits for a concurrent acceptance of the same offer, then sees its result.
        taken = Offer.objects.filter(pk=request.offer_id, free_places__gt=0).update(
            free_places=F("free_places") - 1, updated_at=now
        )
        if not taken:
            raise NoFreePlace(
                _(
                    "There is no free place left in this offer: the last place was just taken. "
                    "Add a place if you have one, or decline the request."
                )
            )
        request.status = Status.ACCEPTED
        request.answered_at = now
        request.answered_by = by
        request.save(update_fields=["status", "answered_at", "answered_by"])
        _record(request, by)
        mark_unread(request.signal, event=UnreadMark.Event.PLACEMENT_ACCEPTED)
        if request.placed_by_comensha:
            from .tasks import mail_placed_by_comensha

            enqueue_on_commit(mail_placed_by_comensha, request.pk)
    return request


def decline_request(request: PlacementRequest, *, by: User, reason: str) -> PlacementRequest:
    with transaction.atomic():
        request = _lock_open(request)
        request.status = Status.DECLINED
        request.reason = reason[:500]
        request.answered_at = timezone.now()
        request.answered_by = by
        request.save(update_fields=["status", "reason", "answered_at", "answered_by"])
        _record(request, by)
        mark_unread(request.signal, event=UnreadMark.Event.PLACEMENT_DECLINED)
    return request


def _addresses(organisation: Organisation) -> list[str]:
    members = User.objects.filter(memberships__organisation=organisation, is_active=True)
    addresses = {organisation.email} | set(members.values_list("email", flat=True))
    return sorted(address for address in addresses if address)


def _mail_provider(
    request: PlacementRequest, subject: str, intro: str, *, to: Organisation | None = None
) -> None:
    """A mail to the people who decide (`to`: the provider or CoMensha): that something waits,
    and a link. No personal data."""
    recipients = _addresses(to or request.placing_organisation)
    if not recipients:
        return
    link = settings.PORTAL_URL.rstrip("/") + reverse("opvang:provider_requests")
    body = f"{intro}\n\n{_('Sign in to answer it:')} {link}\n"
    EmailMessage(subject, body, to=[settings.DEFAULT_FROM_EMAIL], bcc=recipients).send()


def mail_new_request(request_id: int) -> bool:
    request = PlacementRequest.objects.select_related(
        "offer__provider", "placing_organisation"
    ).get(pk=request_id)
    if request.status != Status.REQUESTED:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        _mail_provider(
            request,
            _("Meldpunt: a placement request for one of your offers"),
            _("A coordinator asks whether you can take in a person in one of your offers."),
        )
    return True


def mail_placed_by_comensha(request_id: int) -> bool:
    """CoMensha placed a person in a provider's COSM offer: the provider hears it, with a link."""
    request = PlacementRequest.objects.select_related(
        "offer__provider", "placing_organisation"
    ).get(pk=request_id)
    if request.status != Status.ACCEPTED or not request.placed_by_comensha:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        _mail_provider(
            request,
            _("Meldpunt: CoMensha placed a person in one of your offers"),
            _("CoMensha placed a person in %(offer)s; one free place fewer.")
            % {"offer": request.offer.name},
            to=request.offer.provider,
        )
    return True


def remind_unanswered_requests(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind providers of requests unanswered after OPVANG_PLACEMENT_REMINDER_HOURS (once
    each; the coordinator's list shows them as reminded), and expire those unanswered after
    OPVANG_PLACEMENT_EXPIRY_HOURS. Returns (reminded, expired).

    Each reminder is marked in the transaction that sends its mail: when the mail server is down
    the mark rolls back and the next run tries again.
    """
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        # Locked and changed one by one, so that each expired request marks its case unread.
        for request in (
            PlacementRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("signal__assigned_to", "signal__region")
            .filter(
                status=Status.REQUESTED,
                created_at__lt=now - timedelta(hours=settings.OPVANG_PLACEMENT_EXPIRY_HOURS),
            )[:1000]
        ):
            request.status = Status.EXPIRED
            request.answered_at = now
            request.save(update_fields=["status", "answered_at"])
            mark_unread(request.signal, event=UnreadMark.Event.PLACEMENT_EXPIRED)
            expired += 1
    due = PlacementRequest.objects.filter(
        status=Status.REQUESTED,
        reminded_at__isnull=True,
        created_at__lt=now - timedelta(hours=settings.OPVANG_PLACEMENT_REMINDER_HOURS),
    ).values_list("pk", flat=True)
    reminded = 0
    for request_id in list(due[:500]):
        with transaction.atomic():
            request = (
                PlacementRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("offer__provider", "placing_organisation")
                .filter(pk=request_id, status=Status.REQUESTED, reminded_at__isnull=True)
                .first()
            )
            if request is None:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                _mail_provider(
                    request,
                    _("Meldpunt: reminder, a placement request waits for your answer"),
                    _("A placement request for one of your offers has no answer yet."),
                )
            request.reminded_at = now
            request.save(update_fields=["reminded_at"])
            reminded += 1
    return reminded, expired
