"""Machine translation of what people wrote about a signal: the reporter's words into Dutch for the
coordinators, the coordinator's free text into the reporter's language.

Off while no engine is configured (meldpunt.core.machine_translation). When it is on, a Celery
task (coordination.tasks.translate_texts), queued after the commit of a new text, translates
every text of the signal that has no translation yet and stores each one encrypted
(signals.models.MachineTranslation), so that no page ever waits for the engine. When the engine
is down the task records the failure and stops; beat tries again later with a growing pause, a
limited number of times. Until a translation exists the pages show only the original.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from celery import Task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from meldpunt.core import machine_translation
from signals.models import MachineTranslation, Message, Signal

# Tasks and this module use each other; the task is looked up only when work is queued.
from . import tasks
from .phrasebook import COORDINATOR_LANGUAGE

logger = logging.getLogger(__name__)
# After the first failed attempt the next waits this long, then twice as long each time.
FIRST_PAUSE = timedelta(minutes=5)


@dataclass(frozen=True)
class Text:
    """A text to translate: which one (MachineTranslation.source), its words, from and into."""

    source: str
    words: str
    source_language: str
    target_language: str


def texts_to_translate(signal: Signal) -> list[Text]:
    """Every text of the signal a reader would want in their own language: the reporter's and the
    submitter's words into Dutch, the coordinator's free text into the language of the report."""
    texts = []
    if signal.language != COORDINATOR_LANGUAGE:
        texts.append(
            Text(
                MachineTranslation.DESCRIPTION,
                signal.description,
                signal.language,
                COORDINATOR_LANGUAGE,
            )
        )
        texts.append(
            Text(
                MachineTranslation.OCCURRED_WHEN,
                signal.occurred_when,
                signal.language,
                COORDINATOR_LANGUAGE,
            )
        )
        texts += [
            Text(
                MachineTranslation.source_of(addition),
                addition.text,
                signal.language,
                COORDINATOR_LANGUAGE,
            )
            for addition in signal.additions.all()
        ]
    for message in signal.messages.exclude(body=""):
        if message.author_kind == Message.Author.REPORTER:
            target = COORDINATOR_LANGUAGE
        else:
            target = signal.language
        if message.language != target:
            texts.append(
                Text(MachineTranslation.source_of(message), message.body, message.language, target)
            )
    return [text for text in texts if text.words.strip()]


def translation_tasks(signal: Signal) -> list[tuple[Task, tuple]]:
    """The task call that translates the signal's new texts, for `enqueue_all_on_commit`; none
    while machine translation is off."""
    if not machine_translation.is_configured():
        return []
    return [(tasks.translate_texts, (signal.pk,))]


def _waiting(row: MachineTranslation | None, now) -> bool:
    """Whether a text with this translation row is to be left alone now."""
    if row is None:
        return False
    if row.status == MachineTranslation.Status.DONE:
        return True
    return row.retry_after is None or row.retry_after > now


def translate_texts(signal_id: int) -> int:
    """Translate the texts of the signal that have no translation yet; returns how many were
    made. Safe to run twice at once: a text is stored once (a unique constraint)."""
    signal = Signal.objects.filter(pk=signal_id, anonymised_at__isnull=True).first()
    if signal is None or not machine_translation.is_configured():
        return 0
    known = {(row.source, row.target_language): row for row in signal.machine_translations.all()}
    now = timezone.now()
    made = 0
    for text in texts_to_translate(signal):
        row = known.get((text.source, text.target_language))
        if _waiting(row, now):
            continue
        attempts = (row.attempts if row is not None else 0) + 1
        try:
            words = machine_translation.translate(
                text.words, source=text.source_language, target=text.target_language
            )
        except machine_translation.TranslationUnavailable as problem:
            logger.warning("machine translation of %s failed: %s", text.source, problem)
            _store(signal, text, status=MachineTranslation.Status.FAILED, attempts=attempts)
            # The engine is down or overloaded: the signal's other texts wait for the next try.
            break
        _store(signal, text, status=MachineTranslation.Status.DONE, attempts=attempts, words=words)
        made += 1
    return made


def _store(signal: Signal, text: Text, *, status: str, attempts: int, words: str = "") -> None:
    retry_after = None
    if (
        status == MachineTranslation.Status.FAILED
        and attempts < settings.MACHINE_TRANSLATION_ATTEMPTS
    ):
        retry_after = timezone.now() + FIRST_PAUSE * 2 ** (attempts - 1)
    try:
        with transaction.atomic():
            MachineTranslation.objects.update_or_create(
                signal=signal,
                source=text.source,
                target_language=text.target_language,
                defaults={
                    "source_language": text.source_language,
                    "text": words,
                    "status": status,
                    "attempts": attempts,
                    "retry_after": retry_after,
                },
            )
    except IntegrityError:
        # Another task stored this text's translation at the same moment.
        pass


def retry_failed_translations(*, limit: int = 200) -> int:
    """Beat: queue the translation again of each signal whose failed translation is due to be
    tried once more. Returns how many signals were queued."""
    if not machine_translation.is_configured():
        return 0
    due = (
        MachineTranslation.objects.filter(
            status=MachineTranslation.Status.FAILED, retry_after__lte=timezone.now()
        )
        .values_list("signal_id", flat=True)
        .distinct()[:limit]
    )
    signal_ids = list(due)
    for signal_id in signal_ids:
        tasks.translate_texts.delay(signal_id)
    return len(signal_ids)
