"""Reads of the domain model that every channel shares: the taxonomy, a signal by its receipt
code, a signal with everything recorded about it, its conversation and machine translations."""

from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects

from . import receipts
from .models import ExploitationForm, Indicator, MachineTranslation, Message, Signal


def exploitation_forms() -> QuerySet[ExploitationForm]:
    return ExploitationForm.objects.all()


def public_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_public=True)


def general_public_indicators() -> QuerySet[Indicator]:
    """Public indicators that belong to no one form: signs of every form of exploitation."""
    return public_indicators().filter(forms__isnull=True)


def public_indicators_for(form_ids: list[int]) -> QuerySet[Indicator]:
    """The public indicators to ask about when the reporter chose these forms of exploitation:
    the general ones first, then those of the chosen forms; all of them when none was chosen."""
    indicators = public_indicators()
    if form_ids:
        indicators = indicators.filter(Q(forms__isnull=True) | Q(forms__in=form_ids))
    has_forms = Exists(Indicator.forms.through.objects.filter(indicator=OuterRef("pk")))
    return (
        indicators.distinct()
        .annotate(form_specific=has_forms)
        .order_by("form_specific", "category__order", "order", "code")
    )


def signal_for_receipt(text: str) -> Signal | None:
    """The public signal whose receipt code was typed, or None: one indexed query, no slow hash
    (signals.receipts says why that is safe).

    A signal stored with an Argon2 hash (before) is checked against it once and then kept in the
    current form: the hash cleared and the lookup under the current key. A lookup found under an
    earlier key (signals.receipts.lookup_keys) is rewritten under the current one the same way,
    so that the earlier key can go."""
    code = receipts.normalise(text)
    if code is None:
        return None
    keys = receipts.lookup_keys(code)
    signal = Signal.objects.filter(receipt_lookup__in=keys, source=Signal.Source.PUBLIC).first()
    if signal is None or not receipts.is_one_of(signal.receipt_lookup, keys):
        return None
    if signal.receipt_hash and not receipts.legacy_matches(code, signal.receipt_hash):
        return None
    if signal.receipt_hash or signal.receipt_lookup != keys[0]:
        Signal.objects.filter(pk=signal.pk, receipt_lookup=signal.receipt_lookup).update(
            receipt_lookup=keys[0], receipt_hash=""
        )
        signal.receipt_lookup, signal.receipt_hash = keys[0], ""
    return signal


def signal_details(signal: Signal) -> Signal:
    """The signal with everything the intake recorded, loaded in a few queries onto the instance
    given (just read by its caller: not read again; what it already holds is not loaded twice)."""
    prefetch_related_objects(
        [signal],
        "submitted_by",
        "region",
        "municipality",
        "assigned_to",
        "merged_into",
        "forms",
        "indicators__category",
        "persons__phone_numbers",
        "companies",
        "locations__municipality",
        "vehicles",
        "websites",
        "bank_accounts",
        "attachments",
    )
    return signal


def conversation(signal: Signal) -> QuerySet[Message]:
    """The messages with the reporter, oldest first, with the files each brought."""
    return signal.messages.prefetch_related("attachments")


def machine_translations(signal: Signal, *, into: str) -> dict[str, str]:
    """The signal's machine translations into the language `into` that succeeded, by the text
    they translate (MachineTranslation.source)."""
    return dict(
        signal.machine_translations.filter(
            status=MachineTranslation.Status.DONE, target_language=into
        )
        .exclude(text="")
        .values_list("source", "text")
    )
