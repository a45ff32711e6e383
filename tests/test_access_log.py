"""The access log: written on every read, readable and exportable by the privacy officer, and
impossible to change or delete, through the application or through SQL."""

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from access.models import AccessLogEntry
from access.services import log_read
from organisations.models import Membership
from tests.factories import OrganisationFactory, SignalFactory
from tests.helpers import english_client, member_of, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged():
    police, inspectorate = OrganisationFactory(), OrganisationFactory()
    officer = member_of(police, Membership.Role.PROFESSIONAL)
    inspector = member_of(inspectorate, Membership.Role.PROFESSIONAL)
    signal = SignalFactory()
    log_read(officer, signal=signal, purpose="Onderzoek 42")
    log_read(inspector, signal=signal, purpose="Controle kas")
    return {
        "police": police,
        "officer": officer,
        "signal": signal,
        "privacy_officer": member_of(police, Membership.Role.PRIVACY_OFFICER),
    }


def test_the_privacy_officer_sees_the_own_members_entries_only(logged):
    response = signed_in(logged["privacy_officer"]).get(reverse("access:log"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Onderzoek 42" in page
    assert logged["officer"].email in page
    assert "Controle kas" not in page


def test_the_export_holds_the_entries_and_is_itself_logged(logged):
    response = signed_in(logged["privacy_officer"]).get(reverse("access:export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["exported by", logged["privacy_officer"].email]
    assert rows[1] == ["organisation", logged["police"].name]
    header = rows.index(["when", "who", "what", "signal", "purpose", "detail"])
    assert [row[4] for row in rows[header + 1 :]] == ["Onderzoek 42"]
    assert str(logged["signal"].public_id) in rows[header + 1]
    assert AccessLogEntry.objects.filter(
        user=logged["privacy_officer"], action=AccessLogEntry.Action.EXPORT
    ).exists()


def test_the_export_does_not_hand_a_spreadsheet_a_formula(logged):
    log_read(
        logged["officer"], signal=logged["signal"], purpose='=HYPERLINK("http://x.example","a")'
    )
    response = signed_in(logged["privacy_officer"]).get(reverse("access:export"))
    purposes = [
        row[4] for row in csv.reader(io.StringIO(response.content.decode())) if len(row) > 4
    ]
    assert '\'=HYPERLINK("http://x.example","a")' in purposes


def test_no_one_else_reads_the_log(logged):
    assert signed_in(logged["officer"]).get(reverse("access:log")).status_code == 404
    assert signed_in(logged["officer"]).get(reverse("access:export")).status_code == 404
    assert english_client().get(reverse("access:log")).status_code == 302


def test_entries_cannot_be_changed_or_deleted(logged):
    entry = AccessLogEntry.objects.filter(organisation=logged["police"]).first()
    entry.purpose = "iets anders"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="weg")
    for sql in (
        "UPDATE access_accesslogentry SET purpose = 'weg' WHERE id = %s",
        "DELETE FROM access_accesslogentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.purpose == "Onderzoek 42"
