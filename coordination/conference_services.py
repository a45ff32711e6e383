"""Recording a case conference (signaaltafel) about a case, and its actions being done."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from organisations.models import Organisation
from signals.models import Signal

from .models import CaseConference, ConferenceAction
from .selectors import acting_organisation


def record_conference(
    signal: Signal,
    *,
    by: User,
    held_on: date,
    participants: list[Organisation],
    legal_basis: str,
    decisions: str,
    actions: list[tuple[str, Organisation, date]],
) -> CaseConference:
    """Record a case conference the coordinator convened about the case: the organisations at
    the table (the coordinator's own always among them), the legal basis on which they shared
    what they know, the decisions, and the actions with their owner and date. An action's owner
    is one of the participants."""
    convenor = acting_organisation(by, signal)
    if convenor is None:
        raise ValidationError(_("You do not handle this signal."), code="not_handling")
    if held_on > timezone.localdate():
        raise ValidationError(
            {"held_on": ValidationError(_("The date must not be in the future."), "future")}
        )
    at_the_table = {organisation.pk: organisation for organisation in participants}
    at_the_table[convenor.pk] = convenor
    for _description, owner, _due_on in actions:
        if owner.pk not in at_the_table:
            raise ValidationError(
                _("%(organisation)s owns an action but was not at the table.")
                % {"organisation": owner.name},
                code="owner_not_participant",
            )
    with transaction.atomic():
        conference = CaseConference.objects.create(
            signal=signal,
            held_on=held_on,
            legal_basis=legal_basis,
            decisions=decisions,
            convened_by=convenor,
            created_by=by,
        )
        conference.participants.set(at_the_table.values())
        ConferenceAction.objects.bulk_create(
            ConferenceAction(
                conference=conference, description=description, owner=owner, due_on=due_on
            )
            for description, owner, due_on in actions
        )
    return conference


def mark_action_done(action: ConferenceAction, *, by: User, owners: list[Organisation]) -> bool:
    """The owning organisation says the action is done; False when it was done before. `owners`
    are the organisations the user acts for (access.roles.conference_organisations)."""
    if action.owner_id not in {organisation.pk for organisation in owners}:
        raise ValidationError(
            _("Only %(organisation)s can say this action is done.")
            % {"organisation": action.owner.name},
            code="not_owner",
        )
    return bool(
        ConferenceAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_by=by
        )
    )
