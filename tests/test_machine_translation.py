"""Machine translation through a self-hosted engine (meldpunt.core.machine_translation,
coordination.translation), against a stand-in server that speaks LibreTranslate's HTTP API
(tests/libretranslate.py): what is translated into which language, that translations are stored
encrypted and labelled on the pages, and that an engine that is down costs a page nothing."""

import socket
import time
import uuid

import pytest
from django.db import connection
from django.test import Client

from coordination import services as coordination
from coordination.translation import retry_failed_translations, translate_texts, translation_tasks
from devstack.worker import wait_for
from intake.professional.services import add_information
from intake.public.services import PublicReport, post_reporter_message, receive_public_report
from intake.public.views import FOLLOW_UP
from meldpunt.core import machine_translation
from organisations.models import Membership
from regions.models import Municipality, Region
from signals import receipts
from signals.models import MachineTranslation, Signal
from tests.factories import CoordinationFactory, SignalFactory, UserFactory
from tests.helpers import member_of, signed_in
from tests.libretranslate import LibreTranslate

DESCRIPTION = "Pracownicy śpią w szklarni."
IN_DUTCH = "De arbeiders slapen in de kas."
COORDINATOR_LINE = "We bellen u morgen om tien uur."
IN_POLISH = "Zadzwonimy do ciebie jutro o dziesiątej."


@pytest.fixture
def engine():
    server = LibreTranslate()
    yield server
    server.stop()


def _closed_port_url() -> str:
    """The address of a port where nothing listens: an engine that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _polish_report(description: str = DESCRIPTION, **fields) -> Signal:
    signal, _created = receive_public_report(
        PublicReport(
            language="pl",
            description=description,
            submission_key=uuid.uuid4(),
            receipt_code=receipts.new_code(),
            location_kind=Signal.LocationKind.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0363"),
            **fields,
        )
    )
    return signal


def _amsterdam_coordinator():
    coordination_x = CoordinationFactory(region=Region.objects.get(code="AMS"))
    return member_of(coordination_x, Membership.Role.COORDINATOR)


def _case_page(user, signal) -> str:
    return signed_in(user).get(f"/pro/queue/{signal.public_id}/").content.decode()


def _reporter_page(signal, language: str = "pl") -> str:
    """The follow-up page as the reporter who typed the code sees it."""
    client = Client()
    session = client.session
    session[FOLLOW_UP] = {"signal": str(signal.public_id), "until": time.time() + 600}
    session.save()
    return client.get(f"/{language}/report/follow-up/").content.decode()


# The adapter and the service, in this process


@pytest.mark.django_db
def test_off_by_default_nothing_is_queued_or_sent(settings):
    settings.MACHINE_TRANSLATION_URL = ""
    assert not machine_translation.is_configured()
    assert translation_tasks(SignalFactory(language="pl")) == []
    with pytest.raises(machine_translation.TranslationUnavailable):
        machine_translation.translate("Dzień dobry", source="pl", target="nl")


def test_the_adapter_speaks_the_engines_api_and_follows_no_redirect(engine, settings):
    settings.MACHINE_TRANSLATION_URL = engine.url
    assert machine_translation.translate(DESCRIPTION, source="pl", target="nl") == IN_DUTCH
    assert engine.requests[-1] == {
        "q": DESCRIPTION,
        "source": "pl",
        "target": "nl",
        "format": "text",
    }
    # Simplified Chinese is "zh" to the engine.
    machine_translation.translate("你好", source="zh-hans", target="nl")
    assert engine.requests[-1]["source"] == "zh"
    with pytest.raises(machine_translation.TranslationUnavailable):
        machine_translation.translate("x", source="xx", target="nl")  # the engine answers 400
    asked = len(engine.requests)
    settings.MACHINE_TRANSLATION_URL = f"{engine.url}/moved"
    with pytest.raises(machine_translation.TranslationUnavailable):
        machine_translation.translate(DESCRIPTION, source="pl", target="nl")
    assert len(engine.requests) == asked + 1  # asked once, not sent on to where it pointed
    settings.MACHINE_TRANSLATION_URL = _closed_port_url()
    with pytest.raises(machine_translation.TranslationUnavailable):
        machine_translation.translate(DESCRIPTION, source="pl", target="nl")


@pytest.mark.django_db
def test_each_text_goes_into_its_readers_language_once(engine, settings, reference_data):
    """The reporter's and the submitter's words into Dutch, the coordinator's free text into the
    report's language; Dutch into Dutch never; a second run asks the engine nothing."""
    settings.MACHINE_TRANSLATION_URL = engine.url
    signal = _polish_report(occurred_when="Od zeszłego lata")
    coordinator = UserFactory()
    post_reporter_message(signal, body="Szef ma klucze.", language="pl")
    coordination.write_to_reporter(signal, by=coordinator, body=COORDINATOR_LINE)
    coordination.write_to_reporter(signal, by=coordinator, phrase="safe_now", expects="yes_no")
    professional = SignalFactory(language="pl", submitted_by=CoordinationFactory())
    add_information(professional, user=coordinator, text="Nowe informacje.")

    assert translate_texts(signal.pk) == 4
    made = {
        (row.source.split(":")[0], row.source_language, row.target_language): row.text
        for row in MachineTranslation.objects.filter(signal=signal)
    }
    assert made == {
        ("description", "pl", "nl"): IN_DUTCH,
        ("occurred_when", "pl", "nl"): "[nl] Od zeszłego lata",
        ("message", "pl", "nl"): "[nl] Szef ma klucze.",
        ("message", "nl", "pl"): IN_POLISH,
    }
    assert translate_texts(professional.pk) == 2  # its description and the addition
    asked = len(engine.requests)
    assert translate_texts(signal.pk) == 0 and len(engine.requests) == asked
    assert translate_texts(SignalFactory(language="nl").pk) == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM signals_machinetranslation")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "arbeiders" not in stored and "Zadzwonimy" not in stored  # encrypted at rest


@pytest.mark.django_db
def test_a_failed_translation_is_tried_again_later_a_few_times(engine, settings, reference_data):
    settings.MACHINE_TRANSLATION_URL = _closed_port_url()
    settings.MACHINE_TRANSLATION_ATTEMPTS = 2
    signal = _polish_report()
    assert translate_texts(signal.pk) == 0
    failed = MachineTranslation.objects.get(signal=signal)
    assert (failed.status, failed.attempts, failed.text) == ("failed", 1, "")
    assert failed.retry_after is not None
    assert retry_failed_translations() == 0  # not due yet
    assert translate_texts(signal.pk) == 0  # not tried again before its pause is over

    MachineTranslation.objects.update(retry_after=failed.retry_after.replace(year=2000))
    assert translate_texts(signal.pk) == 0
    failed.refresh_from_db()
    assert (failed.attempts, failed.retry_after) == (2, None)  # the last attempt
    settings.MACHINE_TRANSLATION_URL = engine.url
    assert translate_texts(signal.pk) == 0  # given up: the original only


# With the real worker: what the pages show


@pytest.fixture
def translating_worker(celery_worker, settings):
    """The run's worker started again with an engine configured (and this process too, so that
    work is queued for it); back to the plain worker afterwards."""

    def start(url: str):
        settings.MACHINE_TRANSLATION_URL = url
        celery_worker.stop()
        celery_worker.start(MACHINE_TRANSLATION_URL=url)
        return celery_worker

    yield start
    celery_worker.settle()
    celery_worker.stop()
    celery_worker.start()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_polish_description_shows_a_labelled_translation_and_a_down_engine_costs_nothing(
    reference_data, engine, translating_worker
):
    translating_worker(engine.url)
    coordinator = _amsterdam_coordinator()
    signal = _polish_report()
    wait_for(lambda: Signal.objects.get(pk=signal.pk).region_id, timeout=30)
    wait_for(lambda: MachineTranslation.objects.filter(signal=signal, status="done"), timeout=30)

    page = _case_page(coordinator, signal)
    original = page.index(DESCRIPTION)
    label = page.index("Machine translation from Polish: it may contain mistakes.")
    translated = page.index(IN_DUTCH)
    assert original < label < translated  # under the original, labelled
    assert f'<div lang="nl" dir="auto"><p>{IN_DUTCH}</p></div>' in page

    # The coordinator's free text reaches the reporter translated, marked, the original at hand.
    coordination.write_to_reporter(signal, by=coordinator, body=COORDINATOR_LINE)
    wait_for(lambda: MachineTranslation.objects.filter(signal=signal, target_language="pl"), 30)
    reporter = _reporter_page(signal)
    assert IN_POLISH in reporter
    assert "Przetłumaczone maszynowo" in reporter
    original = reporter.split("<summary>Pokaż oryginał</summary>")[-1]
    assert f'<div lang="nl" dir="auto">{COORDINATOR_LINE}</div>' in original

    # The engine goes down: the next report is not translated, and its page does not wait.
    engine.stop()
    second = _polish_report(description="Szef zabrał im paszporty.")
    wait_for(lambda: Signal.objects.get(pk=second.pk).region_id, timeout=30)
    wait_for(lambda: MachineTranslation.objects.filter(signal=second, status="failed"), 30)
    client = signed_in(coordinator)
    started = time.monotonic()
    page = client.get(f"/pro/queue/{second.public_id}/").content.decode()
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"the case page took {elapsed:.2f}s"
    assert "Szef zabrał im paszporty." in page
    assert "Machine translation" not in page
