"""The public report form, the follow-up with a receipt code and the quick exit. Works without
JavaScript.

The answers wait in the session (server side, encrypted) between steps; every step is a POST
followed by a redirect to the same address, and with JavaScript (static/js/report.js) the form
is sent in the background and the page replaced in place, so the browser history holds one entry
for the whole report and nothing of the content. Pages are never cached (`never_cache`): the
reporter's device may be watched. The quick exit ends the session (and so forgets the draft)
before it sends the browser to a neutral site.
"""

import hashlib
import json
import logging
import secrets
import uuid
from dataclasses import dataclass

import redis
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from content.selectors import rights_page
from coordination.phrasebook import Expects, Reply
from coordination.selectors import ConversationLine, conversation_lines
from intake import uploads
from meldpunt.core import crypto
from regions.places import suggestions
from signals import receipts
from signals.models import Message, Signal
from signals.selectors import signal_for_receipt
from triage.services import flood_measures_on

from . import ratelimit, selectors, services
from .forms import (
    AboutForm,
    CheckForm,
    ContactForm,
    DangerForm,
    InterpreterForm,
    InvolvedForm,
    KindForm,
    NewsNoticeForm,
    PhotosForm,
    PublicForm,
    QuickReplyForm,
    ReceiptCodeForm,
    ReceiptConfirmForm,
    ReplyForm,
    SignsForm,
    WhatForm,
    WhenForm,
    WhereForm,
    WhoForm,
)

logger = logging.getLogger(__name__)

DRAFT = "public_report"
FOLLOW_UP = "public_follow_up"
# The code of a report just sent waits here until the reporter typed its end (they saved it).
RECEIPT = "public_receipt"
RECEIPT_SECONDS = 30 * 60
# After a correct code the conversation stays open this long without typing the code again.
FOLLOW_UP_SECONDS = 20 * 60
# A draft not sent within this time is forgotten, however busy its reporter (a draft idle for
# SESSION_COOKIE_AGE goes with its session earlier). Its waiting files go with it.
DRAFT_MAX_SECONDS = uploads.ABANDONED_AFTER_SECONDS
# After Send the session ends, but a Send pressed again from the same browser (a double click)
# must show the same code: the server keeps it that long, encrypted, under the ended session.
SENT_SECONDS = 60


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    form: type[PublicForm]
    # The title for a reporter who reports about themself, where it differs.
    self_title: Promise | None = None
    # Only a required step holds up the steps after it; the others may be skipped.
    required: bool = False

    def title_for(self, *, about_me: bool) -> Promise:
        return self.self_title if about_me and self.self_title else self.title


STEPS = [
    Step("about", gettext_lazy("About you or someone else?"), AboutForm),
    Step(
        "what",
        gettext_lazy("What did you see?"),
        WhatForm,
        gettext_lazy("What is happening to you?"),
        required=True,
    ),
    Step("where", gettext_lazy("Where?"), WhereForm),
    Step("when", gettext_lazy("When?"), WhenForm),
    Step("who", gettext_lazy("Who is involved?"), WhoForm),
    Step("involved", gettext_lazy("Do you know who is behind it?"), InvolvedForm),
    Step("kind", gettext_lazy("What kind of situation?"), KindForm),
    Step(
        "signs",
        gettext_lazy("What did you notice?"),
        SignsForm,
        gettext_lazy("What is true for you?"),
    ),
    Step("danger", gettext_lazy("Danger now?"), DangerForm, gettext_lazy("Are you safe now?")),
    Step("photos", gettext_lazy("Photos and documents"), PhotosForm),
    Step("contact", gettext_lazy("Contact"), ContactForm, gettext_lazy("Call back")),
    Step("check", gettext_lazy("Check and send"), CheckForm),
]
INDEX = {step.slug: number for number, step in enumerate(STEPS)}
LAST = len(STEPS) - 1


def _new_draft() -> dict:
    # The receipt code is drawn with the draft, so that every tab showing this draft sends the
    # same code: two tabs sending it at once both get a code that opens the report.
    return {
        "key": str(uuid.uuid4()),
        "code": receipts.new_code(),
        "started": timezone.now().timestamp(),
        "step": 0,
        "reached": 0,
        "answers": {},
        "uploads": [],
    }


def _draft(request) -> dict | None:
    draft = request.session.get(DRAFT)
    if not isinstance(draft, dict) or "key" not in draft or "code" not in draft:
        return None
    if draft.get("started", 0) + DRAFT_MAX_SECONDS < timezone.now().timestamp():
        _drop_draft(request, draft)
        return None
    return draft


def _save(request, draft: dict) -> None:
    request.session[DRAFT] = draft
    request.session.modified = True


def _drop_draft(request, draft: dict | None) -> None:
    if draft is not None:
        uploads.discard_draft_files(draft["key"])
    request.session.pop(DRAFT, None)


def _forget_sent_draft(request) -> None:
    """After Send: the draft goes, and the session with it when it holds nothing else, so that
    no row with the reporter's session is left waiting for its expiry."""
    request.session.pop(DRAFT, None)
    if not request.session.keys():
        request.session.flush()


def _about_me(draft: dict) -> bool:
    return draft["answers"].get("about", {}).get("about") == "me"


def _in_danger(draft: dict) -> bool:
    return draft["answers"].get("danger", {}).get("danger") == "yes"


def _may_answer(draft: dict, number: int) -> bool:
    """A step may be answered once it was reached, or once every required step before it has
    an answer (the optional ones may be skipped)."""
    if number <= draft["reached"]:
        return True
    return (
        all(step.slug in draft["answers"] for step in STEPS[:number] if step.required)
        and number < LAST
    )


def _challenge(draft: dict) -> tuple[int, int] | None:
    """The sum the check step asks while the flood measures are on, drawn once per draft."""
    if not flood_measures_on():
        return None
    if "challenge" not in draft:
        draft["challenge"] = [2 + secrets.randbelow(8), 2 + secrets.randbelow(8)]
    first, second = draft["challenge"]
    return first, second


def _form(request, draft: dict, step: Step, data=None) -> PublicForm:
    options = {"about_me": _about_me(draft)}
    if step.form is CheckForm:
        options["challenge"] = _challenge(draft)
    if step.form is SignsForm:
        options["kinds"] = draft["answers"].get("kind", {}).get("kinds", [])
    if step.form is PhotosForm:
        options["kept"] = len(draft["uploads"])
        options["may_decode"] = _may_decode(request)
    if data is None:
        return step.form(initial=draft["answers"].get(step.slug), **options)
    return step.form(data, request.FILES if step.form is PhotosForm else None, **options)


def _summary(draft: dict) -> list[dict]:
    about_me = _about_me(draft)
    sections = []
    for step in STEPS:
        if step.slug == "check":
            continue
        if step.slug == "photos":
            rows = [(_("Files"), ", ".join(upload["name"] for upload in draft["uploads"]))]
        else:
            rows = step.form.describe(draft["answers"].get(step.slug, {}), about_me=about_me)
        sections.append({"step": step, "rows": rows})
    return sections


def _report_page(
    request, draft: dict, form: PublicForm, status: int = 200, retry_after: int | None = None
):
    step = STEPS[draft["step"]]
    about_me = _about_me(draft)
    context = {
        "step": step,
        "title": step.title_for(about_me=about_me),
        "number": draft["step"] + 1,
        "total": len(STEPS),
        "steps": [item.title_for(about_me=about_me) for item in STEPS],
        "form": form,
        "about_me": about_me,
        "in_danger": _in_danger(draft),
        "uploads": draft["uploads"],
        "max_files": uploads.MAX_FILES,
        "is_first": draft["step"] == 0,
    }
    if step.slug == "where":
        context["municipality_names"] = suggestions()
    if step.slug == "check":
        context["summary"] = _summary(draft)
        # Which draft this page shows, not its code: the code stays on the server until Send.
        context["draft_key"] = draft["key"]
    response = render(request, "public/report/step.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _receipt_page(request, code: str, *, in_danger: bool, about_me: bool):
    """The code, shown until the reporter confirms they saved it: it waits in the (encrypted)
    session until then, so that a reload or a wrong answer shows it again."""
    held = {"code": code, "in_danger": in_danger, "about_me": about_me}
    request.session[RECEIPT] = {**held, "until": timezone.now().timestamp() + RECEIPT_SECONDS}
    return _render_receipt(request, held, ReceiptConfirmForm(code=code))


def _render_receipt(request, held: dict, form: ReceiptConfirmForm, status: int = 200):
    context = {
        "code": held["code"],
        "in_danger": held["in_danger"],
        "about_me": held["about_me"],
        "form": form,
        # A reporter about themself is told their rights before anything else.
        "rights": rights_page() if held["about_me"] else None,
    }
    return render(request, "public/report/receipt.html", context, status=status)


def _held_receipt(request) -> dict | None:
    held = request.session.get(RECEIPT)
    if not isinstance(held, dict) or held.get("until", 0) < timezone.now().timestamp():
        request.session.pop(RECEIPT, None)
        return None
    return held


@never_cache
def receipt(request):
    """The receipt code's page after Send: save the code as a file, print it, and finish by
    typing its last four characters. Until then the report form shows this page instead."""
    held = _held_receipt(request)
    if held is None:
        return redirect("report:form")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "download":
        # A plain file, without the portal's name in it or its name: a phone's downloads are
        # easily looked through.
        text = f"{_('Your receipt code')}: {held['code']}\r\n"
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="code.txt"'
        return response
    if action != "confirm":
        return _render_receipt(request, held, ReceiptConfirmForm(code=held["code"]))
    form = ReceiptConfirmForm(request.POST, code=held["code"])
    if form.is_bot or not form.is_valid():
        return _render_receipt(request, held, form, status=400)
    request.session.pop(RECEIPT, None)
    if not request.session.keys():
        request.session.flush()
    return render(request, "public/report/finished.html")


def _already_sent_page(request):
    return render(request, "public/report/already_sent.html", status=409)


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
        held = _held_receipt(request)
        if held is not None and draft is None:
            # A report was sent and its code not yet confirmed as saved: that comes first.
            return redirect("report:receipt")
        if draft is None:
            draft = _new_draft()
        else:
            wanted = INDEX.get(request.GET.get("step", ""))
            if wanted is not None and wanted <= draft["reached"]:
                draft["step"] = wanted
                _save(request, draft)
                return redirect("report:form")
        form = _form(request, draft, STEPS[draft["step"]])
        if "challenge" in draft:
            _save(request, draft)  # the sum drawn for this draft stays the same
        return _report_page(request, draft, form)

    if request.POST.get("action") == "send" and draft is None:
        return _resend(request)
    if draft is None:
        draft = _new_draft()
    # The step the page was showing, which may differ from the session's in another tab.
    number = INDEX.get(request.POST.get("step", ""), draft["step"])
    draft["step"] = number if _may_answer(draft, number) else min(number, draft["reached"])
    step = STEPS[draft["step"]]
    if step.form is PhotosForm and request.FILES:
        verdict = ratelimit.take(ratelimit.UPLOADS, request)
        if not verdict.allowed:
            # The other answers of the step count; the files are not even looked at.
            form = step.form(request.POST, None, about_me=_about_me(draft))
            form.is_valid()
            form.add_error(
                None,
                _("You sent many files in a short time. Please wait an hour and try again."),
            )
            return _report_page(request, draft, form, 429, verdict.retry_after)
    form = _form(request, draft, step, request.POST)

    if form.is_bot:
        # Bots are not told they were caught: they see what a person would see, nothing is kept.
        _drop_draft(request, draft)
        return _receipt_page(request, receipts.new_code(), in_danger=False, about_me=False)

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


def _sent_key(session_key: str) -> str:
    return "public-sent:" + hashlib.sha256(session_key.encode()).hexdigest()


def _remember_sent(request, draft: dict) -> None:
    """Keep the code of the report just sent for SENT_SECONDS, encrypted, under the session that
    sent it (the browser's cookie), for a Send pressed again there. A cache that is away only
    costs that second Send its code."""
    value = crypto.encrypt(json.dumps([draft["key"], draft["code"]]))
    try:
        cache.set(_sent_key(request.session.session_key), value, SENT_SECONDS)
    except redis.RedisError:
        logger.warning("cache unavailable; a repeated Send will not show the code")


def _just_sent(request) -> tuple[str, str] | None:
    """The draft key and code this browser's session sent in the last SENT_SECONDS, if any."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return None
    try:
        value = cache.get(_sent_key(session_key))
    except redis.RedisError:
        return None
    return tuple(json.loads(crypto.decrypt(value))) if value else None


def _send(request, draft: dict, form: PublicForm):
    if form.errors:
        # The flood measures' sum was not answered right: nothing is sent, the answers stay.
        _save(request, draft)
        return _report_page(request, draft, form, status=400)
    if request.POST.get("receipt", "") != draft["key"]:
        form.add_error(None, _("This page was open too long. Check your answers and send again."))
        return _report_page(request, draft, form)
    about_me = _about_me(draft)
    what = WhatForm(draft["answers"].get("what", {}), about_me=about_me)
    if not what.is_valid():
        draft["step"] = INDEX["what"]
        _save(request, draft)
        return _report_page(request, draft, what)
    # Counted before the report is stored, in one step with the check: a burst of Sends at once
    # cannot all pass a check that none of them has counted yet.
    verdict = ratelimit.take(ratelimit.REPORTS, request)
    if not verdict.allowed:
        form.add_error(
            None,
            _("You sent many reports in a short time. Please wait an hour and send again."),
        )
        return _report_page(request, draft, form, 429, verdict.retry_after)
    values = {}
    for step in STEPS:
        values.update(step.form.report_values(draft["answers"].get(step.slug, {})))
    signal, created = services.receive_public_report(
        services.PublicReport(
            language=get_language(),
            submission_key=uuid.UUID(draft["key"]),
            receipt_code=draft["code"],
            uploads=draft["uploads"],
            **values,
        )
    )
    if not created:
        # Sent before (a second tab, a double click): this Send stored nothing new.
        ratelimit.give_back(ratelimit.REPORTS, request)
    _remember_sent(request, draft)
    _forget_sent_draft(request)
    if signal.receipt_lookup not in receipts.lookup_keys(draft["code"]):
        return _already_sent_page(request)
    return _receipt_page(request, draft["code"], in_danger=signal.is_urgent, about_me=about_me)


def _resend(request):
    """Send pressed after the report was stored (a double click, a reload, a second tab): show
    the same code if this browser sent that report moments ago, say it was sent if it was, else
    start afresh."""
    try:
        submission_key = uuid.UUID(request.POST.get("receipt", ""))
    except ValueError:
        return redirect("report:form")
    signal = Signal.objects.filter(submission_key=submission_key).first()
    if signal is None:
        return redirect("report:form")
    sent = _just_sent(request)
    if sent is None or sent[0] != str(submission_key):
        return _already_sent_page(request)
    code = sent[1]
    if signal.receipt_lookup not in receipts.lookup_keys(code):
        return _already_sent_page(request)
    return _receipt_page(
        request, code, in_danger=signal.is_urgent, about_me=bool(signal.about_reporter)
    )


@never_cache
def quick_exit(request):
    """The quick exit ("Exit this page"): forget the draft and end the session on the server,
    then leave for a neutral site. The button, the link and Escape twice all come here, with or
    without JavaScript, so that the Back button afterwards finds nothing to show."""
    _drop_draft(request, _draft(request))
    request.session.flush()
    response = redirect(settings.QUICK_EXIT_URL)
    # Chromium and Firefox also drop the portal's pages from their caches, back-forward included.
    response["Clear-Site-Data"] = '"cache", "cookies"'
    return response


def _open_signal(request) -> Signal | None:
    """The signal whose code was given in this session, while that is recent enough."""
    held = request.session.get(FOLLOW_UP)
    if not isinstance(held, dict) or held.get("until", 0) < timezone.now().timestamp():
        request.session.pop(FOLLOW_UP, None)
        return None
    return Signal.objects.filter(public_id=held.get("signal"), source=Signal.Source.PUBLIC).first()


@never_cache
@csrf_exempt
def follow_up(request):
    # The size limit applies while files arrive; the CSRF check then runs as usual.
    request.upload_handlers.insert(0, uploads.LimitedUploadHandler(request))
    return _follow_up(request)


@csrf_protect
def _follow_up(request):
    signal = _open_signal(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "leave":
        request.session.pop(FOLLOW_UP, None)
        return redirect("report:follow_up")
    if signal is None:
        if request.method != "POST" and _held_receipt(request) is not None:
            # A report was just sent and its code not yet confirmed as saved: the page that
            # asks for the code leads back to the one page that shows it, as the form does.
            return redirect("report:receipt")
        return _code_page(request)
    if request.method != "POST":
        services.news_was_read(signal)
        return _follow_up_page(request, signal)
    act = FOLLOW_UP_ACTIONS.get(action)
    if act is None:
        return redirect("report:follow_up")
    return act(request, signal)


def _may_decode(request):
    """The client's budget for decoding images (see intake.public.ratelimit)."""
    return lambda pixels: (
        ratelimit.take(
            ratelimit.DECODED_MEGAPIXELS, request, cost=max(1, round(pixels / 1_000_000))
        ).allowed
    )


def _answered_question(signal: Signal, form) -> Message | None:
    """The open question the form answers; a question answered meanwhile (another tab) or not
    of this signal is none: the words then arrive as a message of their own."""
    return selectors.open_questions(signal).get(form.cleaned_data.get("question") or "")


def _reply(request, signal: Signal):
    if request.FILES:
        verdict = ratelimit.take(ratelimit.UPLOADS, request)
        if not verdict.allowed:
            # The words are kept; the files are not even looked at, so "add a file" is no error.
            form = ReplyForm(request.POST, auto_id=_form_ids(signal, request.POST, "reply"))
            form.is_valid()
            form.errors.pop("body", None)
            form.add_error(
                None,
                _("You sent many files in a short time. Please wait an hour and try again."),
            )
            return _follow_up_page(request, signal, form, 429, verdict.retry_after)
    form = ReplyForm(
        request.POST,
        request.FILES,
        auto_id=_form_ids(signal, request.POST, "reply"),
        may_decode=_may_decode(request),
    )
    if form.is_bot:
        return redirect("report:follow_up")
    if not form.is_valid():
        return _follow_up_page(request, signal, form)
    services.post_reporter_message(
        signal,
        body=form.cleaned_data["body"],
        language=get_language(),
        in_reply_to=_answered_question(signal, form),
        files=form.accepted,
    )
    messages.success(request, _("Your message was sent."))
    return redirect("report:follow_up")


# The quick replies come in three forms of their own (so that Enter in the phone number field
# sends the number, not the first button of a shared form), each with its element ids.
QUICK_REPLY_FORMS = {Reply.CALL_TIME: "time", Reply.PHONE: "phone"}


def _quick_reply(request, signal: Signal):
    general = QUICK_REPLY_FORMS.get(request.POST.get("reply", ""), "quick")
    form = QuickReplyForm(request.POST, auto_id=_form_ids(signal, request.POST, general))
    if form.is_bot:
        return redirect("report:follow_up")
    if not form.is_valid():
        return _follow_up_page(request, signal, form)
    services.post_reporter_message(
        signal,
        language=get_language(),
        reply=form.cleaned_data["reply"],
        reply_value=form.cleaned_data["value"],
        in_reply_to=_answered_question(signal, form),
    )
    messages.success(request, _("Your answer was sent."))
    return redirect("report:follow_up")


def _interpreter(request, signal: Signal):
    form = InterpreterForm(request.POST, auto_id="interpreter-%s")
    if form.is_bot:
        return redirect("report:follow_up")
    if not form.is_valid():
        return _follow_up_page(request, signal, form)
    services.request_interpreter(
        signal,
        language=form.cleaned_data["interpreter_language"],
        mode=form.cleaned_data["interpreter"],
    )
    messages.success(request, _("Your request for an interpreter was sent."))
    return redirect("report:follow_up")


def _news_notices(request, signal: Signal):
    form = NewsNoticeForm(request.POST, auto_id="notice-%s")
    if form.is_bot:
        return redirect("report:follow_up")
    if not form.is_valid():
        return _follow_up_page(request, signal, form)
    services.ask_for_news_notices(signal, email=form.cleaned_data["email"], language=get_language())
    messages.success(request, _("We will send you an e-mail when there is news."))
    return redirect("report:follow_up")


def _stop_news_notices(request, signal: Signal):
    services.stop_news_notices(signal)
    messages.success(request, _("You will get no more e-mails from us."))
    return redirect("report:follow_up")


# What the follow-up page's forms do, by the `action` they post.
FOLLOW_UP_ACTIONS = {
    "reply": _reply,
    "quick": _quick_reply,
    "interpreter": _interpreter,
    "notice": _news_notices,
    "stop_notices": _stop_news_notices,
}


def _form_ids(signal: Signal, data, general: str) -> str:
    """Element ids for a form of the follow-up page: an open question's answer form's, or the
    general form's, so that no two fields on the page share an id."""
    question = data.get("question", "")
    if question in selectors.open_questions(signal):
        return f"answer-{question}-%s"
    return f"{general}-%s"


def _follow_up_page(
    request, signal: Signal, failed=None, status: int = 200, retry_after: int | None = None
):
    """The follow-up page: status, the conversation with an answer form under each open
    question, and the forms to write, answer quickly, ask for an interpreter or for notices.
    `failed` is a form that came back with errors: it shows in its place, with the input kept."""

    def form(form_class, ids: str):
        """The form of the page with these element ids: the one that failed if it is this one
        (its ids say which it was, see _form_ids), else a new one."""
        if failed is not None and failed.auto_id == ids:
            return failed
        return form_class(auto_id=ids)

    lines = conversation_lines(signal, reader_language=get_language())
    entries: list[tuple[ConversationLine, PublicForm | None]] = []
    for line in lines:
        answer = None
        if line.is_open_question:
            public_id = str(line.message.public_id)
            answer = form(
                QuickReplyForm if line.message.expects == Expects.YES_NO else ReplyForm,
                f"answer-{public_id}-%s",
            )
            answer.initial["question"] = public_id
        entries.append((line, answer))
    context = {
        "signal": signal,
        "status": selectors.public_status(signal),
        "entries": entries,
        "asked_something": any(line.message.author_kind == "coordinator" for line in lines),
        "form": form(ReplyForm, "reply-%s"),
        "answer_form": form(QuickReplyForm, "quick-%s"),
        "time_form": form(QuickReplyForm, "time-%s"),
        "phone_form": form(QuickReplyForm, "phone-%s"),
        "answers": Reply.ANSWERS,
        "interpreter": selectors.latest_interpreter_request(signal),
        "interpreter_form": form(InterpreterForm, "interpreter-%s"),
        "notice": selectors.wants_news_notices(signal),
        "notice_form": form(NewsNoticeForm, "notice-%s"),
        "failed": failed,
    }
    response = render(request, "public/report/follow_up.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _code_page(request):
    if request.method != "POST":
        return render(request, "public/report/follow_up_code.html", {"form": ReceiptCodeForm()})
    form = ReceiptCodeForm(request.POST)
    if form.is_bot:
        form.add_error("code", _("We cannot find a report with this code. Check the code."))
    elif form.is_valid():
        verdict = ratelimit.take(ratelimit.CODE_ATTEMPTS, request)
        if not verdict.allowed:
            form.add_error("code", _("You tried too many times. Please wait 15 minutes."))
            response = render(
                request, "public/report/follow_up_code.html", {"form": form}, status=429
            )
            response["Retry-After"] = str(verdict.retry_after)
            return response
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
    return render(request, "public/report/follow_up_code.html", {"form": form})
