"""The inbox page: the cases with news the signed-in person has not read yet."""

from django.shortcuts import render

from access.permissions import TRIAGE
from access.selectors import signals_visible_to
from accounts.decorators import verified_login_required

from . import selectors


@verified_login_required
def inbox(request):
    marks = list(selectors.unread_marks(request.user)[:200])
    handled = set(
        signals_visible_to(request.user, TRIAGE)
        .filter(pk__in=[mark.signal_id for mark in marks])
        .values_list("pk", flat=True)
    )
    rows = [(mark, mark.signal_id in handled) for mark in marks]
    return render(request, "inbox/inbox.html", {"rows": rows})
