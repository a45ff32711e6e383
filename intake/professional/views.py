"""Professional signal pages: the intake (new and drafts), the list, and a signal's details."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from access.models import AccessLogEntry
from access.permissions import CONTRIBUTE
from access.roles import intake_organisations
from access.selectors import get_signal_for, reporting_code_organisation
from access.services import log_action, log_read
from accounts.decorators import verified_login_required
from coordination import services as coordination_services
from coordination.forms import AnswerForm
from coordination.selectors import case_detail
from inbox.services import mark_read
from intake import uploads
from regions.places import suggestions

from . import selectors, services
from .forms import (
    MAX_ATTACHMENTS,
    SECTIONS,
    AdditionForm,
    ProfessionalIntake,
    ReportingCodeForm,
    with_extra_row,
)

PAGE_SIZE = 25
READ_PURPOSE = "professional portal: signal details"


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _intake(request, draft=None):
    organisations = intake_organisations(request.user)
    if not organisations.exists():
        # Only professionals log signals; to anyone else the page does not exist.
        raise Http404
    if request.method != "POST":
        intake = ProfessionalIntake(organisations=organisations, draft=draft)
        return _intake_page(request, intake, draft)

    action = request.POST.get("action", "draft")
    extra_row = action.removeprefix("add-")
    if action.startswith("add-") and extra_row in SECTIONS:
        data = with_extra_row(request.POST, extra_row)
        intake = ProfessionalIntake(data, organisations=organisations, draft=draft)
        return _intake_page(request, intake, draft)

    final = action == "submit"
    intake = ProfessionalIntake(
        request.POST, request.FILES, organisations=organisations, draft=draft, final=final
    )
    if not intake.is_valid():
        messages.error(request, _("Some answers need attention; see the messages below."))
        return _intake_page(request, intake, draft, status=400)
    report = intake.report(_language())
    key = intake.form.cleaned_data["submission_key"]
    if final:
        signal = services.submit_professional_signal(
            report, user=request.user, submission_key=key, draft=draft
        )
        messages.success(
            request,
            _("The signal was received. The regional care coordinator will look at it."),
        )
        return redirect("pro_signals:detail", signal.public_id)
    signal = services.save_professional_draft(
        report, user=request.user, submission_key=key, draft=draft
    )
    messages.success(request, _("Draft saved. You can finish it later from your signals."))
    return redirect("pro_signals:edit", signal.public_id)


def _intake_page(request, intake: ProfessionalIntake, draft, status: int = 200):
    context = {
        "form": intake.form,
        "formsets": intake.formsets.values(),
        "draft": draft,
        "municipalities": suggestions(),
    }
    return render(request, "pro/signals/form.html", context, status=status)


_protected_intake = csrf_protect(_intake)


def _limit_uploads(request) -> None:
    """Cut oversized files while they arrive instead of spooling them to disk whole. This must
    happen before anything reads the body, hence csrf_exempt outside and csrf_protect inside."""
    request.upload_handlers.insert(
        0, uploads.LimitedUploadHandler(request, max_files=MAX_ATTACHMENTS + 1)
    )


@verified_login_required
@csrf_exempt
def signal_new(request):
    _limit_uploads(request)
    return _protected_intake(request)


@verified_login_required
@csrf_exempt
def draft_edit(request, public_id):
    _limit_uploads(request)
    return _protected_intake(request, draft=selectors.draft_for(request.user, public_id))


@verified_login_required
def signal_list(request):
    page = Paginator(selectors.submitted_signals_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "drafts": selectors.drafts_of(request.user).select_related("submitted_by"),
        "page": page,
        "can_log": intake_organisations(request.user).exists(),
    }
    return render(request, "pro/signals/list.html", context)


def _detail_page(
    request, signal, addition_form=None, answer_form=None, reporting_code_form=None, status=200
):
    log_read(request.user, signal=signal, purpose=READ_PURPOSE)
    mark_read(signal, user=request.user)
    detail = case_detail(request.user, signal)
    # The meldcode's steps, for a professional of an organisation holding a signal about a minor.
    code_organisation = reporting_code_organisation(request.user, signal)
    if code_organisation is not None and reporting_code_form is None:
        reporting_code_form = ReportingCodeForm(
            steps=selectors.reporting_code_steps(signal, code_organisation)
        )

    def answer_form_for(question):
        """An answer form for each open question the user may answer, the posted one kept."""
        if not detail.contributes or question.answered_at is not None:
            return None
        prefix = str(question.public_id)
        if answer_form is not None and answer_form.prefix == prefix:
            return answer_form
        return AnswerForm(prefix=prefix)

    context = {
        "detail": detail,
        "signal": detail.signal,
        "question_items": [(question, answer_form_for(question)) for question in detail.questions],
        "addition_form": addition_form or AdditionForm(),
        "reporting_code_organisation": code_organisation,
        "reporting_code_form": reporting_code_form,
    }
    return render(request, "pro/signals/detail.html", context, status=status)


@verified_login_required
def signal_detail(request, public_id):
    return _detail_page(request, get_signal_for(request.user, public_id))


@verified_login_required
@require_POST
def add_information(request, public_id):
    signal = get_signal_for(request.user, public_id, perm=CONTRIBUTE)
    form = AdditionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, signal, addition_form=form, status=400)
    services.add_information(signal, user=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Your information was added to the signal."))
    return redirect("pro_signals:detail", signal.public_id)


@verified_login_required
@require_POST
def reporting_code(request, public_id):
    """Keep the organisation's meldcode checklist on a signal about a minor."""
    signal = get_signal_for(request.user, public_id)
    organisation = reporting_code_organisation(request.user, signal)
    if organisation is None:
        raise Http404
    form = ReportingCodeForm(
        request.POST, steps=selectors.reporting_code_steps(signal, organisation)
    )
    if not form.is_valid():
        return _detail_page(request, signal, reporting_code_form=form, status=400)
    services.save_reporting_code(
        signal, by=request.user, organisation=organisation, steps=form.steps()
    )
    messages.success(request, _("The meldcode steps were saved."))
    return redirect("pro_signals:detail", signal.public_id)


@verified_login_required
def attachment_download(request, public_id, attachment_id):
    """A signal's file, for whoever may see the signal: never from a public URL, always as a
    download (never shown inline, so a crafted file cannot run in the portal's origin)."""
    signal = get_signal_for(request.user, public_id)
    attachment = signal.attachments.filter(public_id=attachment_id).first()
    if attachment is None:
        raise Http404
    # The file's id, not its name: names name people, and the log is append-only.
    log_action(
        request.user,
        signal=signal,
        action=AccessLogEntry.Action.DOWNLOAD,
        detail=str(attachment.public_id),
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@verified_login_required
@require_POST
def answer_question(request, public_id, question_id):
    """The submitting organisation answers a coordinator's question."""
    signal = get_signal_for(request.user, public_id, perm=CONTRIBUTE)
    question = signal.questions.filter(public_id=question_id).first()
    if question is None:
        raise Http404
    form = AnswerForm(request.POST, prefix=str(question.public_id))
    if form.is_valid():
        try:
            coordination_services.answer_question(
                question, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer was sent to the coordinator."))
            return redirect("pro_signals:detail", signal.public_id)
    return _detail_page(request, signal, answer_form=form, status=400)
