"""The access log for an organisation's privacy officer: read and export, never edit."""

import csv
import uuid

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import verified_login_required
from organisations.selectors import membership_changes

from . import selectors
from .forms import AccessLogFilterForm
from .models import AccessLogEntry
from .roles import privacy_officer_organisations
from .services import log_action

PAGE_SIZE = 50
# The latest changes to the organisation's members shown under the log.
CHANGES_SHOWN = 50
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); the
# purpose and detail are typed by users.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _organisation(request):
    organisations = privacy_officer_organisations(request.user)
    chosen = request.GET.get("organisation")
    try:
        # A hand-edited address is not a UUID: the organisation does not exist (404).
        organisation = (
            organisations.filter(public_id=uuid.UUID(chosen)).first()
            if chosen
            else organisations.first()
        )
    except ValueError:
        organisation = None
    if organisation is None:
        raise Http404
    return organisation, organisations


@verified_login_required
def access_log(request):
    organisation, organisations = _organisation(request)
    form = AccessLogFilterForm(request.GET or None, organisation=organisation)
    entries = selectors.access_log_for(organisation, **form.filters())
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "form": form,
        "page": Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")),
        "changes": membership_changes(organisation)[:CHANGES_SHOWN],
    }
    return render(request, "access/log.html", context)


@verified_login_required
def access_log_export(request):
    organisation, _organisations = _organisation(request)
    form = AccessLogFilterForm(request.GET or None, organisation=organisation)
    entries = selectors.access_log_for(organisation, **form.filters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"access-log-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    # An export of personal data says who made it, for whom and when, wherever it ends up.
    writer.writerow([_("exported by"), request.user.email])
    writer.writerow([_("organisation"), organisation.name])
    writer.writerow([_("exported at"), timezone.localtime().isoformat()])
    writer.writerow([])
    writer.writerow([_("when"), _("who"), _("what"), _("signal"), _("purpose"), _("detail")])
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.created_at).isoformat(),
                entry.user.email if entry.user else "",
                entry.get_action_display(),
                entry.signal.public_id if entry.signal else "",
                _cell(entry.purpose),
                _cell(entry.detail),
            ]
        )
    log_action(
        request.user,
        signal=None,
        action=AccessLogEntry.Action.EXPORT,
        detail=_("access log of %(name)s") % {"name": organisation.name},
    )
    return response
