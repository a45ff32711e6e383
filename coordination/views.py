"""The coordinators' workspace. Every view answers 404 for a signal the user may not triage."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.permissions import TRIAGE
from access.roles import is_national_desk
from access.selectors import get_signal_for
from access.services import log_read, log_reads
from accounts.decorators import verified_login_required
from inbox.selectors import unread_among
from inbox.services import mark_read
from triage.selectors import recent_flood_alerts
from triage.services import flood_measures_on, set_flood_switch

from . import procedure_services, selectors, services
from .cursors import QueueCursor
from .forms import (
    AssignForm,
    MergeForm,
    MoveForm,
    NoteForm,
    QuestionForm,
    QueueFilterForm,
    ReporterMessageForm,
    RetentionHoldForm,
    ShareForm,
    SplitForm,
    TransferForm,
)
from .procedure_forms import (
    PoliceHandoverForm,
    ReflectionPeriodForm,
    ReportingDecisionForm,
    ResidenceApplicationForm,
    procedure_forms,
)
from .registration_forms import RegistrationForm
from .registration_selectors import possible_victims, registration_initial
from .registration_services import register_victim


@verified_login_required
def queue(request):
    """The regional queue, a page at a time: `after` and `before` carry a page's edge (cursors)."""
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    page = selectors.queue_page(
        request.user,
        filters,
        after=QueueCursor.decode(request.GET.get("after")),
        before=QueueCursor.decode(request.GET.get("before")),
    )
    counts = selectors.queue_counts(request.user)
    context = {
        "form": form,
        "page": page,
        "unread": unread_among(request.user, [signal.pk for signal in page.signals]),
        "counts": counts,
        # The whole open queue is counted anyway; a filtered one is not counted again.
        "total": counts["all"] if filters == selectors.QueueFilters() else None,
    }
    return render(request, "coordination/queue.html", context)


def _case_page(request, signal, forms=None, status=200):
    # Also when a form comes back with an error: the page shows the signal's details again.
    log_read(request.user, signal=signal, purpose=_("Case handling"))
    mark_read(signal, user=request.user)
    detail = selectors.case_detail(request.user, signal)
    log_reads(
        request.user,
        signals=[duplicate.signal for duplicate in detail.merged_duplicates if duplicate.signal],
        purpose=_("Case handling: merged duplicate"),
    )
    colleagues = selectors.assignable_colleagues(request.user, signal)
    context = {
        "detail": detail,
        "signal": detail.signal,
        "question_items": [(question, None) for question in detail.questions],
        "move_form": MoveForm(signal=signal),
        "assign_form": AssignForm(
            colleagues=colleagues, initial={"assignee": signal.assigned_to_id}
        ),
        "note_form": NoteForm(),
        "transfer_form": TransferForm(signal=signal),
        "share_form": ShareForm(),
        "share_max_days": settings.SHARE_MAX_DAYS,
        **procedure_forms(detail.procedures),
        "question_form": QuestionForm(),
        "message_form": ReporterMessageForm(),
        "merge_candidates": selectors.merge_candidates(request.user, signal),
        "merge_form": MergeForm(user=request.user),
        "split_form": SplitForm(),
        "hold_form": RetentionHoldForm(),
        "registration_form": RegistrationForm(
            signal=signal, initial=registration_initial(signal, possible_victims(signal).first())
        ),
        # A merged duplicate is handled on the signal it was merged into; its forms show only to
        # carry the error of a refused action.
        "handling_open": signal.merged_into_id is None or bool(forms),
        **(forms or {}),
    }
    return render(request, "coordination/case.html", context, status=status)


def _triageable(request, public_id):
    return get_signal_for(request.user, public_id, TRIAGE)


@verified_login_required
def case(request, public_id):
    return _case_page(request, _triageable(request, public_id))


def _handle(request, public_id, form_name, make_form, act, done_message):
    """Validate a case form and apply it; on an error show the case page with the input kept."""
    signal = _triageable(request, public_id)
    form = make_form(signal, request.POST)
    if form.is_valid():
        try:
            act(signal, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done_message)
            if selectors.can_still_triage(request.user, signal):
                return redirect("coordination:case", signal.public_id)
            return redirect("coordination:queue")
    return _case_page(request, signal, {form_name: form}, status=400)


@verified_login_required
@require_POST
def move(request, public_id):
    return _handle(
        request,
        public_id,
        "move_form",
        lambda signal, data: MoveForm(data, signal=signal),
        lambda signal, data: services.move_signal(
            signal,
            by=request.user,
            to_status=data["to_status"],
            reason=data["reason"],
            against_wishes_reason=data["against_wishes_reason"],
        ),
        _("The status was changed."),
    )


@verified_login_required
@require_POST
def register(request, public_id):
    """Register a (possible) victim of the case with CoMensha, on a recorded legal basis."""
    return _handle(
        request,
        public_id,
        "registration_form",
        lambda signal, data: RegistrationForm(data, signal=signal),
        lambda signal, data: register_victim(signal, by=request.user, **data),
        _("The (possible) victim was registered with CoMensha."),
    )


@verified_login_required
@require_POST
def assign(request, public_id):
    return _handle(
        request,
        public_id,
        "assign_form",
        lambda signal, data: AssignForm(
            data, colleagues=selectors.assignable_colleagues(request.user, signal)
        ),
        lambda signal, data: services.assign_signal(
            signal, by=request.user, assignee=data["assignee"]
        ),
        _("The assignment was saved."),
    )


@verified_login_required
@require_POST
def note(request, public_id):
    return _handle(
        request,
        public_id,
        "note_form",
        lambda signal, data: NoteForm(data),
        lambda signal, data: services.add_note(signal, by=request.user, body=data["body"]),
        _("The note was added."),
    )


@verified_login_required
@require_POST
def transfer(request, public_id):
    return _handle(
        request,
        public_id,
        "transfer_form",
        lambda signal, data: TransferForm(data, signal=signal),
        lambda signal, data: services.transfer_signal(
            signal, by=request.user, region=data["region"], reason=data["reason"]
        ),
        _("The signal was transferred."),
    )


@verified_login_required
@require_POST
def share(request, public_id):
    return _handle(
        request,
        public_id,
        "share_form",
        lambda signal, data: ShareForm(data),
        lambda signal, data: services.share_with_organisation(signal, by=request.user, **data),
        _("The signal was shared."),
    )


@verified_login_required
@require_POST
def revoke_share(request, public_id, share_id):
    """End a share at once; the organisation's access stops with its next request."""
    signal = _triageable(request, public_id)
    try:
        share = services.revoke_share_of(signal, share_id=share_id, by=request.user)
    except ValidationError as error:
        raise Http404 from error
    messages.success(
        request,
        _("The share with %(organisation)s was revoked.")
        % {"organisation": share.organisation.name},
    )
    return redirect("coordination:case", signal.public_id)


# Error codes of write_to_reporter, shown at the field they concern.
MESSAGE_ERRORS = {
    "empty_message": "body",
    "phrase_word_missing": "word",
    "unknown_phrase": "phrase",
}


def _write(user, signal, data) -> None:
    try:
        services.write_to_reporter(
            signal,
            by=user,
            body=data["body"],
            language=data["language"],
            phrase=data["phrase"],
            phrase_params=data["phrase_params"],
            expects=data["expects"],
        )
    except ValidationError as error:
        if error.code in MESSAGE_ERRORS:
            raise ValidationError({MESSAGE_ERRORS[error.code]: error}) from error
        raise


@verified_login_required
@require_POST
def possible_connection(request, public_id, review_id):
    """Confirm or dismiss a possible connection: a person named alike in another signal."""
    signal = _triageable(request, public_id)
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.decide_possible_connection(
            signal, review_id=review_id, by=request.user, confirm=confirm
        )
    except ValidationError as error:
        raise Http404 from error
    messages.success(
        request,
        _("The connection was confirmed.")
        if confirm
        else _("The possible connection was dismissed."),
    )
    return redirect("coordination:case", signal.public_id)


@verified_login_required
@require_POST
def hold(request, public_id):
    """Keep the case's personal data past its retention period, until a date."""
    return _handle(
        request,
        public_id,
        "hold_form",
        lambda signal, data: RetentionHoldForm(data),
        lambda signal, data: services.place_retention_hold(
            signal, by=request.user, reason=data["reason"], ends_on=data["ends_on"]
        ),
        _("The hold was placed."),
    )


@verified_login_required
@require_POST
def lift_hold(request, public_id, hold_id):
    signal = _triageable(request, public_id)
    try:
        services.lift_retention_hold(signal, hold_id=hold_id, by=request.user)
    except ValidationError as error:
        raise Http404 from error
    messages.success(request, _("The hold was lifted."))
    return redirect("coordination:case", signal.public_id)


@verified_login_required
@require_POST
def message(request, public_id):
    """Write to the anonymous reporter, who reads it on the follow-up page with the receipt code."""
    return _handle(
        request,
        public_id,
        "message_form",
        lambda signal, data: ReporterMessageForm(data),
        lambda signal, data: _write(request.user, signal, data),
        _("The message was sent to the reporter."),
    )


@verified_login_required
@require_POST
def interpreter_arranged(request, public_id, request_id):
    """Record that the interpreter the reporter asked for was arranged."""
    signal = _triageable(request, public_id)
    try:
        services.record_interpreter_arranged(signal, request_id=request_id, by=request.user)
    except ValidationError as error:
        raise Http404 from error
    messages.success(request, _("It was recorded that an interpreter was arranged."))
    return redirect("coordination:case", signal.public_id)


@verified_login_required
@require_POST
def question(request, public_id):
    return _handle(
        request,
        public_id,
        "question_form",
        lambda signal, data: QuestionForm(data),
        lambda signal, data: services.ask_submitter(signal, by=request.user, text=data["text"]),
        _("The question was sent to the submitting organisation."),
    )


# The procedures on a case (signals.models.procedures): whoever may triage the case records them.


@verified_login_required
@require_POST
def reflection(request, public_id):
    return _handle(
        request,
        public_id,
        "reflection_form",
        lambda signal, data: ReflectionPeriodForm(data),
        lambda signal, data: procedure_services.record_reflection_period(
            signal, by=request.user, **data
        ),
        _("The reflection period was recorded."),
    )


@verified_login_required
@require_POST
def residence_application(request, public_id):
    return _handle(
        request,
        public_id,
        "b8_form",
        lambda signal, data: ResidenceApplicationForm(data),
        lambda signal, data: procedure_services.record_residence_application(
            signal, by=request.user, **data
        ),
        _("The B8/3 residence application was recorded."),
    )


@verified_login_required
@require_POST
def reporting_decision(request, public_id):
    return _handle(
        request,
        public_id,
        "aangifte_form",
        lambda signal, data: ReportingDecisionForm(data),
        lambda signal, data: procedure_services.record_reporting_decision(
            signal, by=request.user, **data
        ),
        _("The decision about reporting to the police was recorded."),
    )


@verified_login_required
@require_POST
def police_handover(request, public_id):
    return _handle(
        request,
        public_id,
        "handover_form",
        lambda signal, data: PoliceHandoverForm(data),
        lambda signal, data: procedure_services.record_police_handover(
            signal, by=request.user, **data
        ),
        _("The handover to the police was recorded."),
    )


# Error codes of merge_signals that concern the signal picked as duplicate, shown at its field.
DUPLICATE_ERRORS = {"same_signal", "already_merged", "has_duplicates", "not_found"}


def _merge(user, kept, data) -> None:
    try:
        services.merge_signals(kept, data["reference"], by=user, reason=data["reason"])
    except ValidationError as error:
        if error.code in DUPLICATE_ERRORS:
            raise ValidationError({"reference": error}) from error
        raise


@verified_login_required
@require_POST
def merge(request, public_id):
    """Mark another signal as a duplicate of this one (samenvoegen)."""
    return _handle(
        request,
        public_id,
        "merge_form",
        lambda signal, data: MergeForm(data, user=request.user),
        lambda signal, data: _merge(request.user, signal, data),
        _("The signal was merged into this one."),
    )


@verified_login_required
@require_POST
def split(request, public_id):
    """Undo a merge: the duplicate is its own signal again."""
    return _handle(
        request,
        public_id,
        "split_form",
        lambda signal, data: SplitForm(data),
        lambda signal, data: services.split_signal(signal, by=request.user, reason=data["reason"]),
        _("The signal was split off and is back in the queue."),
    )


@verified_login_required
def connection_graph(request):
    """The national desk's view of all connections, as metadata only."""
    if not is_national_desk(request.user):
        raise Http404
    return render(
        request, "coordination/connections.html", {"connections": selectors.connection_graph()}
    )


@verified_login_required
def flood(request):
    """The national desk's flood switch: a sum on the public form and bundled notifications."""
    if not is_national_desk(request.user):
        raise Http404
    if request.method == "POST":
        on = request.POST.get("switch") == "on"
        set_flood_switch(on=on, by=request.user)
        if on:
            messages.success(request, _("The flood measures are on."))
        else:
            messages.success(request, _("The flood measures are off."))
        return redirect("coordination:flood")
    context = {"is_on": flood_measures_on(), "alerts": recent_flood_alerts()}
    return render(request, "coordination/flood.html", context)
