"""Public information pages. Thin: the reads live in content.selectors."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from regions import places
from regions.selectors import published_contacts

from . import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/home.html",
        {
            "forms": selectors.exploitation_forms_with_examples(),
            "general_signs": selectors.general_signs(),
            "pages": selectors.published_pages(),
        },
    )


def page(request: HttpRequest, slug: str) -> HttpResponse:
    content_page = selectors.published_page(slug)
    if content_page is None:
        raise Http404
    return render(
        request,
        "public/content_page.html",
        {"page": content_page, "pages": selectors.published_pages()},
    )


def help_index(request: HttpRequest) -> HttpResponse:
    """The help page; "where are you?" (a place, as people name it) leads to that area's page,
    or lists the places a shared name could be. No JavaScript needed."""
    query = request.GET.get("place", "").strip()[:120]
    found = places.lookup(query)
    if found.outcome is places.Outcome.FOUND:
        return redirect("help_region", region_code=found.municipality.region.code)
    return render(
        request,
        "public/help.html",
        {
            "national_contacts": selectors.national_contacts(),
            "regions": selectors.help_regions(),
            "query": query,
            "lookup": found,
        },
    )


def help_region(request: HttpRequest, region_code: str) -> HttpResponse:
    region = selectors.help_region(region_code)
    if region is None:
        raise Http404
    coordinators, remote = published_contacts(region)
    return render(
        request,
        "public/help_region.html",
        {
            "region": region,
            "coordinators": coordinators,
            "remote": remote,
            "region_contacts": selectors.region_contacts(region),
            "national_contacts": selectors.national_contacts(),
        },
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public/privacy.html")
