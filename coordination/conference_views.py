"""Case conferences (signaaltafels): recorded by the case's coordinator, read by the members of
the participating organisations only (anyone else gets 404), every read in the access log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.permissions import TRIAGE, VIEW
from access.roles import conference_organisations
from access.selectors import can, get_signal_for
from access.services import log_read
from accounts.decorators import verified_login_required

from . import conference_selectors, conference_services
from .conference_forms import MAX_ACTIONS, ConferenceForm


@verified_login_required
def conference_list(request):
    if not conference_organisations(request.user).exists():
        raise Http404
    context = {
        "conferences": conference_selectors.conferences_visible_to(request.user)[:200],
    }
    return render(request, "coordination/conferences.html", context)


@verified_login_required
def conference_new(request, signal_id):
    """The coordinator who handles the case records a conference about it."""
    signal = get_signal_for(request.user, signal_id, TRIAGE)
    form = ConferenceForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            conference = conference_services.record_conference(
                signal,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                participants=list(form.cleaned_data["participants"]),
                legal_basis=form.cleaned_data["legal_basis"],
                decisions=form.cleaned_data["decisions"],
                actions=form.actions(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case conference was recorded."))
            return redirect("conferences:detail", conference.public_id)
    context = {
        "form": form,
        "signal": signal,
        "main_fields": [
            form[name] for name in ("held_on", "participants", "legal_basis", "decisions")
        ],
        "action_rows": [
            (form[f"action_{n}"], form[f"owner_{n}"], form[f"due_{n}"])
            for n in range(1, MAX_ACTIONS + 1)
        ],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "coordination/conference_form.html", context, status=status)


@verified_login_required
def conference_detail(request, public_id):
    conference = conference_selectors.conference_for(request.user, public_id)
    log_read(request.user, signal=conference.signal, purpose=_("Case conference"))
    own = set(conference_organisations(request.user).values_list("pk", flat=True))
    actions = list(conference.actions.select_related("owner", "done_by"))
    for action in actions:
        action.is_ours = action.owner_id in own
    context = {
        "conference": conference,
        "actions": actions,
        "today": timezone.localdate(),
        "may_open_case": can(request.user, VIEW, conference.signal),
    }
    return render(request, "coordination/conference_detail.html", context)


@verified_login_required
@require_POST
def action_done(request, public_id, action_id):
    conference = conference_selectors.conference_for(request.user, public_id)
    action = conference.actions.select_related("owner").filter(public_id=action_id).first()
    if action is None:
        raise Http404
    try:
        conference_services.mark_action_done(
            action, by=request.user, owners=list(conference_organisations(request.user))
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The action is marked done."))
    return redirect("conferences:detail", conference.public_id)
