"""The public report form and the follow-up with a receipt code. Works without JavaScript.

The answers wait in the session (server side) between steps; every step is a POST followed by a
redirect to the same address, so the browser history holds one entry and nothing of the content.
Pages are never cached (`never_cache`): the reporter's device may be watched.
"""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from intake import uploads
from regions.selectors import municipality_names
from signals import receipts
from signals.models import Signal
from signals.selectors import conversation, signal_for_receipt

from . import ratelimit, selectors, services
from .forms import (
    CheckForm,
    ContactForm,
    DangerForm,
    KindForm,
    PhotosForm,
    PublicForm,
    ReceiptCodeForm,
    ReplyForm,
    SignsForm,
    WhatForm,
    WhenForm,
    WhereForm,
    WhoForm,
)

DRAFT = "public_report"
FOLLOW_UP = "public_follow_up"
# After a correct code the conversation stays open this long without typing the code again.
FOLLOW_UP_SECONDS = 20 * 60


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[PublicForm]


STEPS = [
    Step("what", gettext_lazy("What did you see?"), WhatForm),
    Step("where", gettext_lazy("Where?"), WhereForm),
    Step("when", gettext_lazy("When?"), WhenForm),
    Step("who", gettext_lazy("Who is involved?"), WhoForm),
    Step("kind", gettext_lazy("What kind of situation?"), KindForm),
    Step("signs", gettext_lazy("What did you notice?"), SignsForm),
    Step("danger", gettext_lazy("Danger now?"), DangerForm),
    Step("photos", gettext_lazy("Photos and documents"), PhotosForm),
    Step("contact", gettext_lazy("Contact"), ContactForm),
    Step("check", gettext_lazy("Check and send"), CheckForm),
]
INDEX = {step.slug: number for number, step in enumerate(STEPS)}
LAST = len(STEPS) - 1


def _new_draft() -> dict:
    return {"key": str(uuid.uuid4()), "step": 0, "reached": 0, "answers": {}, "uploads": []}


def _draft(request) -> dict | None:
    draft = request.session.get(DRAFT)
    if not isinstance(draft, dict) or "key" not in draft:
        return None
    return draft


def _save(request, draft: dict) -> None:
    request.session[DRAFT] = draft
    request.session.modified = True


def _drop_draft(request, draft: dict | None) -> None:
    if draft is not None:
        uploads.discard_draft_files(draft["key"])
    request.session.pop(DRAFT, None)


def _in_danger(draft: dict) -> bool:
    return draft["answers"].get("danger", {}).get("danger") == "yes"


def _summary(draft: dict) -> list[dict]:
    sections = []
    for step in STEPS:
        if step.slug == "check":
            continue
        if step.slug == "photos":
            rows = [(_("Files"), ", ".join(upload["name"] for upload in draft["uploads"]))]
        else:
            rows = step.form.describe(draft["answers"].get(step.slug, {}))
        sections.append({"step": step, "rows": rows})
    return sections


def _report_page(request, draft: dict, form: PublicForm, status: int = 200):
    step = STEPS[draft["step"]]
    context = {
        "step": step,
        "number": draft["step"] + 1,
        "total": len(STEPS),
        "steps": STEPS,
        "form": form,
        "in_danger": _in_danger(draft),
        "uploads": draft["uploads"],
        "max_files": uploads.MAX_FILES,
        "is_first": draft["step"] == 0,
    }
    if step.slug == "where":
        context["municipality_names"] = municipality_names()
    if step.slug == "check":
        context["summary"] = _summary(draft)
        context["receipt_token"] = receipts.sign(draft["key"], receipts.new_code())
    return render(request, "public/report/step.html", context, status=status)


def _unbound_form(draft: dict) -> PublicForm:
    step = STEPS[draft["step"]]
    return step.form(initial=draft["answers"].get(step.slug))


def _receipt_page(request, code: str, *, in_danger: bool):
    return render(request, "public/report/receipt.html", {"code": code, "in_danger": in_danger})


@never_cache
@csrf_exempt
def report(request):
    # The size limit applies while files arrive; the CSRF check then runs as usual.
    request.upload_handlers.insert(0, uploads.LimitedUploadHandler(request))
    return _report(request)


@csrf_protect
def _report(request):
    draft = _draft(request)
    if request.method != "POST":
        if draft is None:
            draft = _new_draft()
        else:
            wanted = INDEX.get(request.GET.get("step", ""))
            if wanted is not None and wanted <= draft["reached"]:
                draft["step"] = wanted
                _save(request, draft)
                return redirect("report:form")
        return _report_page(request, draft, _unbound_form(draft))

    if request.POST.get("action") == "send" and draft is None:
        return _resend(request)
    if draft is None:
        draft = _new_draft()
    # The step the page was showing, which may differ from the session's in another tab.
    number = INDEX.get(request.POST.get("step", ""), draft["step"])
    draft["step"] = min(number, draft["reached"])
    step = STEPS[draft["step"]]
    if step.form is PhotosForm:
        form = PhotosForm(request.POST, request.FILES, kept=len(draft["uploads"]))
    else:
        form = step.form(request.POST)

    if form.is_bot:
        # Bots are not told they were caught: they see what a person would see, nothing is kept.
        _drop_draft(request, draft)
        return _receipt_page(request, receipts.new_code(), in_danger=False)

    valid = form.is_valid()
    if isinstance(form, PhotosForm):
        for clean in form.accepted:
            draft["uploads"].append(uploads.keep_for_later(draft["key"], clean))
        removed = request.POST.get("remove", "")
        for upload in [item for item in draft["uploads"] if item["id"] == removed]:
            uploads.forget(upload)
            draft["uploads"].remove(upload)
        if valid and (removed or request.POST.get("action") == "upload"):
            # Stay on this step to show the list of files.
            _save(request, draft)
            return redirect("report:form")

    action = request.POST.get("action", "next")
    if action == "send" and step.slug == "check":
        return _send(request, draft, form)
    if action == "back":
        if valid:
            draft["answers"][step.slug] = form.answers()
        draft["step"] = max(draft["step"] - 1, 0)
        _save(request, draft)
        return redirect("report:form")
    if not valid:
        _save(request, draft)
        return _report_page(request, draft, form)
    draft["answers"][step.slug] = form.answers()
    draft["step"] = min(draft["step"] + 1, LAST)
    draft["reached"] = max(draft["reached"], draft["step"])
    _save(request, draft)
    return redirect("report:form")


def _send(request, draft: dict, form: PublicForm):
    token = receipts.unsign(request.POST.get("receipt", ""))
    if token is None or token[0] != draft["key"]:
        form.add_error(None, _("This page was open too long. Check your answers and send again."))
        return _report_page(request, draft, form)
    what = WhatForm(draft["answers"].get("what", {}))
    if not what.is_valid():
        draft["step"] = INDEX["what"]
        _save(request, draft)
        return _report_page(request, draft, what)
    if ratelimit.is_limited(ratelimit.REPORTS, request):
        form.add_error(
            None,
            _("You sent many reports in a short time. Please wait an hour and send again."),
        )
        return _report_page(request, draft, form, status=429)
    values = {}
    for step in STEPS:
        values.update(step.form.report_values(draft["answers"].get(step.slug, {})))
    code = token[1]
    signal, created = services.receive_public_report(
        services.PublicReport(
            language=get_language(),
            submission_key=uuid.UUID(draft["key"]),
            receipt_code=code,
            uploads=draft["uploads"],
            **values,
        )
    )
    if created:
        ratelimit.count(ratelimit.REPORTS, request)
    request.session.pop(DRAFT, None)
    return _receipt_page(request, code, in_danger=signal.is_urgent)


def _resend(request):
    """Send pressed again after the report was stored (double click, reload): show the same
    code if it belongs to that report, otherwise start afresh."""
    token = receipts.unsign(request.POST.get("receipt", ""))
    if token is not None:
        submission_key, code = token
        signal = Signal.objects.filter(
            submission_key=submission_key, receipt_lookup=receipts.lookup_key(code)
        ).first()
        if signal is not None:
            return _receipt_page(request, code, in_danger=signal.is_urgent)
    return redirect("report:form")


def _open_signal(request) -> Signal | None:
    """The signal whose code was given in this session, while that is recent enough."""
    held = request.session.get(FOLLOW_UP)
    if not isinstance(held, dict) or held.get("until", 0) < timezone.now().timestamp():
        request.session.pop(FOLLOW_UP, None)
        return None
    return Signal.objects.filter(public_id=held.get("signal"), source=Signal.Source.PUBLIC).first()


@never_cache
def follow_up(request):
    signal = _open_signal(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "leave":
        request.session.pop(FOLLOW_UP, None)
        return redirect("report:follow_up")
    if signal is None:
        return _code_page(request)
    reply = ReplyForm(auto_id="%s")
    if action == "reply":
        reply = ReplyForm(request.POST)
        if reply.is_bot:
            return redirect("report:follow_up")
        if reply.is_valid():
            services.post_reporter_message(
                signal, body=reply.cleaned_data["body"], language=get_language()
            )
            messages.success(request, _("Your message was sent."))
            return redirect("report:follow_up")
    context = {
        "signal": signal,
        "status": selectors.PUBLIC_STATUS[selectors.public_status(signal)],
        "conversation": conversation(signal),
        "form": reply,
    }
    return render(request, "public/report/follow_up.html", context)


def _code_page(request):
    if request.method != "POST":
        return render(request, "public/report/follow_up_code.html", {"form": ReceiptCodeForm()})
    form = ReceiptCodeForm(request.POST)
    status = 200
    if ratelimit.is_limited(ratelimit.CODE_ATTEMPTS, request):
        form.is_valid()
        form.add_error("code", _("You tried too many times. Please wait 15 minutes."))
        status = 429
    elif form.is_valid() and not form.is_bot:
        ratelimit.count(ratelimit.CODE_ATTEMPTS, request)
        signal = signal_for_receipt(form.cleaned_data["code"])
        if signal is not None:
            # A new session id, so that an id known before the code was given is worthless.
            request.session.cycle_key()
            request.session[FOLLOW_UP] = {
                "signal": str(signal.public_id),
                "until": timezone.now().timestamp() + FOLLOW_UP_SECONDS,
            }
            return redirect("report:follow_up")
        form.add_error("code", _("We cannot find a report with this code. Check the code."))
    elif form.is_bot:
        form.add_error("code", _("We cannot find a report with this code. Check the code."))
    return render(request, "public/report/follow_up_code.html", {"form": form}, status=status)
