"""CoMensha's organisation reads the registrations of victims: pseudonymised rows as a page and
as CSV (the API gives the same rows). Anyone else gets 404."""

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django_countries.fields import Country

from access import roles
from access.models import AccessLogEntry, Share
from access.services import log_action
from accounts.decorators import verified_login_required
from regions.models import Region
from signals.models import ExploitationForm, Person

from .models import Registration
from .registration_forms import RegistrationFilterForm
from .registration_selectors import ROW_FIELDS, RegistrationRow, registration_rows, registrations

PAGE_SIZE = 50
SECTORS = dict(Registration.Sector.choices)
AGE_GROUPS = dict(Registration.AgeGroup.choices)
GENDERS = dict(Person.Gender.choices)
REPORTERS = dict(Registration.REPORTER_KINDS)
LEGAL_BASES = dict(Share.LegalBasis.choices)


def _filtered(request):
    if not roles.may_read_registrations(request.user):
        raise Http404
    form = RegistrationFilterForm(request.GET or None)
    if not form.is_bound:
        return form, True, registrations()
    valid = form.is_valid()
    dates = {key: form.cleaned_data.get(key) for key in ("since", "until")} if valid else {}
    return form, valid, registrations(**dates)


@verified_login_required
def registration_list(request):
    form, valid, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    forms = {form.code: str(form.name) for form in ExploitationForm.objects.all()}
    areas = dict(Region.objects.values_list("code", "name"))
    context = {
        "form": form,
        "page": page,
        "rows": [_cells(row, forms, areas) for row in registration_rows(page.object_list)],
        "query": request.GET.urlencode(),
        "previous": _page_link(request, page.previous_page_number()) if page.has_previous() else "",
        "next": _page_link(request, page.next_page_number()) if page.has_next() else "",
    }
    return render(request, "coordination/registrations.html", context, status=200 if valid else 400)


@verified_login_required
def registration_export(request):
    """All registrations (within the dates) as CSV: codes and dates only."""
    _form, valid, rows = _filtered(request)
    if not valid:
        return registration_list(request)
    log_action(
        request.user,
        action=AccessLogEntry.Action.EXPORT,
        signal=None,
        detail="CoMensha registrations (CSV)",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"comensha-registrations-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(ROW_FIELDS)
    for row in registration_rows(rows.iterator(chunk_size=500)):
        writer.writerow([getattr(row, name) for name in ROW_FIELDS])
    return response


def _page_link(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


def _cells(row: RegistrationRow, forms: dict, areas: dict) -> list[str]:
    """A row in the reader's language, for the page (the CSV and the API keep the codes)."""
    return [
        date_format(row.reported_on, "SHORT_DATE_FORMAT"),
        row.pseudonym,
        forms.get(row.form, row.form),
        SECTORS.get(row.sector, row.sector),
        str(Country(row.nationality).name) if row.nationality else "—",
        AGE_GROUPS.get(row.age_group, row.age_group),
        GENDERS.get(row.gender, row.gender),
        REPORTERS.get(row.reporter_kind, row.reporter_kind),
        areas.get(row.area, row.area),
        LEGAL_BASES.get(row.legal_basis, row.legal_basis),
        row.registered_by_organisation,
    ]
