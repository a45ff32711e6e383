"""The privacy officer's data-subject requests: search, export, erase.

What a search found is kept in the session as ids (never the searched values), under a random id
that the following pages carry in their URL. Anyone but a privacy officer gets 404.
"""

import json
import tempfile
import uuid
import zipfile

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from access.roles import privacy_officer_organisations
from accounts.decorators import verified_login_required

from .selectors import find_subject, matches_from_stored, stored_matches
from .subject_forms import ErasureForm, SubjectSearchForm
from .subject_services import erase_subject, export_subject, record_subject_search

# A ZIP export is built on disk beyond this size, not in memory.
ZIP_IN_MEMORY = 10 * 1024 * 1024
SESSION_KEY = "subject_requests"
# Searches kept in the session at once; the oldest goes first.
KEPT_SEARCHES = 5


def _officer_organisations(request):
    organisations = privacy_officer_organisations(request.user)
    if not organisations.exists():
        raise Http404
    return organisations


def _search(request, search_id):
    """The stored search and its matches, for an organisation the user is still officer of."""
    stored = request.session.get(SESSION_KEY, {}).get(str(search_id))
    if stored is None:
        raise Http404
    organisation = _officer_organisations(request).filter(public_id=stored["organisation"]).first()
    if organisation is None:
        raise Http404
    return stored, organisation, matches_from_stored(organisation, stored["matches"])


def _posted(request):
    """The posted data, also when empty: an empty post is a form sent without answers."""
    return request.POST if request.method == "POST" else None


def _remember(request, organisation, form: SubjectSearchForm, matches) -> str:
    """Keep what the search found (ids, not the searched values) for the next pages."""
    search_id = str(uuid.uuid4())
    searches = request.session.get(SESSION_KEY, {})
    searches[search_id] = {
        "organisation": str(organisation.public_id),
        "reference": form.cleaned_data["reference"],
        "purpose": form.cleaned_data["purpose"],
        "kinds": form.kinds(),
        "matches": stored_matches(matches),
    }
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEPT_SEARCHES:])
    return search_id


@never_cache
@verified_login_required
def search(request):
    _officer_organisations(request)
    form = SubjectSearchForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        matches = find_subject(organisation, **form.identifiers())
        record_subject_search(
            by=request.user,
            organisation=organisation,
            reference=form.cleaned_data["reference"],
            purpose=form.cleaned_data["purpose"],
            kinds=form.kinds(),
            matches=matches,
        )
        search_id = _remember(request, organisation, form, matches)
        return redirect("subject_requests:results", search_id=search_id)
    status = 400 if form.is_bound else 200
    return render(request, "privacy/subject_search.html", {"form": form}, status=status)


@never_cache
@verified_login_required
def results(request, search_id):
    stored, organisation, matches = _search(request, search_id)
    context = {
        "search_id": search_id,
        "stored": stored,
        "organisation": organisation,
        "matches": matches,
    }
    return render(request, "privacy/subject_results.html", context)


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@verified_login_required
def export(request, search_id, file_format):
    stored, organisation, matches = _search(request, search_id)
    if not matches:
        raise Http404
    data = export_subject(
        matches,
        by=request.user,
        organisation=organisation,
        reference=stored["reference"],
        purpose=stored["purpose"],
    )
    filename = f"subject-export-{timezone.localdate():%Y%m%d}.{file_format}"
    as_json = json.dumps(data, ensure_ascii=False, indent=2)
    if file_format == "json":
        return _download(as_json, "application/json; charset=utf-8", filename)
    as_html = render_to_string("privacy/subject_export.html", {"data": data}, request=request)
    if file_format == "html":
        return _download(as_html, "text/html; charset=utf-8", filename)
    return FileResponse(
        _zip_export(matches, as_json, as_html),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )


def _zip_export(matches, as_json: str, as_html: str):
    """The export with the signals' files, decrypted, under files/<signal>/: what the JSON lists
    as attachments, for the officer to hand over what concerns the person."""
    # Closed by the FileResponse once sent (and its disk space freed with it).
    archive = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("export.json", as_json)
        zipped.writestr("export.html", as_html)
        for match in matches:
            for number, attachment in enumerate(match.signal.attachments.all(), start=1):
                name = get_valid_filename(attachment.original_name) or "file"
                path = f"files/{match.signal.public_id}/{number}-{name}"
                with attachment.file.open("rb") as source, zipped.open(path, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
    archive.seek(0)
    return archive


@never_cache
@verified_login_required
def erase(request, search_id, signal_id):
    stored, organisation, matches = _search(request, search_id)
    match = next((m for m in matches if m.signal.public_id == signal_id), None)
    if match is None:
        raise Http404
    form = ErasureForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        erased = erase_subject(
            match,
            by=request.user,
            organisation=organisation,
            reference=stored["reference"],
            reason=form.cleaned_data["reason"],
        )
        if erased:
            messages.success(request, _("The personal data was erased from the signal."))
        else:
            messages.info(request, _("Nothing was left to erase in this signal."))
        return redirect("subject_requests:results", search_id=search_id)
    context = {"search_id": search_id, "stored": stored, "match": match, "form": form}
    return render(
        request,
        "privacy/subject_erase.html",
        context,
        status=400 if form.is_bound else 200,
    )
