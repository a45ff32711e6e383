"""The national monitor: figures only, every one of them suppressed below five."""

import csv
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from access.roles import may_read_monitor, monitor_areas
from accounts.decorators import verified_login_required

from . import selectors
from .forms import PeriodForm
from .selectors import default_period


def _period_form(request) -> PeriodForm:
    """Only `period` is read: a start and an end of one's own choosing are not offered."""
    if "period" in request.GET:
        return PeriodForm({"period": request.GET["period"]})
    return PeriodForm(initial={"period": default_period().key})


@verified_login_required
def monitor(request):
    if not may_read_monitor(request.user):
        raise Http404
    form = _period_form(request)
    period = form.chosen()
    context = {
        "form": form,
        "period": period,
        "tables": list(enumerate(selectors.all_tables(period))),
        "durations": selectors.durations(period.range),
        "query": f"period={period.key}",
    }
    return render(request, "monitor/monitor.html", context)


@verified_login_required
def export(request, index: int):
    if not may_read_monitor(request.user):
        raise Http404
    tables = selectors.all_tables(_period_form(request).chosen())
    if index >= len(tables):
        raise Http404
    return _csv(tables[index])


def _area(request):
    """The area whose figures are asked for, among those the user may read; 404 otherwise."""
    areas = monitor_areas(request.user)
    code = request.GET.get("area")
    area = areas.filter(code=code).first() if code else areas.first()
    if area is None:
        raise Http404
    return area, areas


def _csv(table) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(table.title)}.csv"'
    writer = csv.writer(response)
    writer.writerow([table.title, ""])
    for cell in table.cells:
        writer.writerow([cell.label, cell.shown])
    writer.writerow(["total", table.total])
    return response


@verified_login_required
def area_monitor(request):
    """An area's own figures, for its coordinators and its municipalities."""
    area, areas = _area(request)
    form = _period_form(request)
    period = form.chosen()
    context = {
        "form": form,
        "period": period,
        "area": area,
        "areas": areas,
        "tables": list(enumerate(selectors.all_tables(period, area))),
        "durations": selectors.durations(period.range, area),
        "query": urlencode({"area": area.code, "period": period.key}),
    }
    return render(request, "monitor/area.html", context)


@verified_login_required
def area_export(request, index: int):
    area, _areas = _area(request)
    tables = selectors.all_tables(_period_form(request).chosen(), area)
    if index >= len(tables):
        raise Http404
    return _csv(tables[index])
