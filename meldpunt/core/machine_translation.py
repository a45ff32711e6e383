"""An adapter for a self-hosted machine translation engine that speaks LibreTranslate's HTTP API.

Off unless `MACHINE_TRANSLATION_URL` is set: it names a server of our own (the `libretranslate`
service in docker-compose.yml, see README, "Machine translation"), never a cloud service, since
what is sent is a victim's own words. The API: POST <url>/translate with the JSON
{"q", "source", "target", "format": "text"} (and "api_key" when the server wants one) answers
{"translatedText": "..."}; an error answers with a 4xx or 5xx status and {"error": "..."}.

A call may take seconds on a server without a GPU, so it is only ever made from a Celery task
(coordination.translation), never while a page waits. Redirects are not followed: the text goes
to the configured server or nowhere.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings

# Portal language codes the engine spells otherwise (LibreTranslate names Simplified Chinese "zh").
ENGINE_CODES = {"zh-hans": "zh"}
# The longest answer read: a translation is about as long as its source (at most 10,000
# characters), in UTF-8 at most four bytes a character, with room for the JSON around it.
MAX_RESPONSE_BYTES = 200_000


class TranslationUnavailable(Exception):
    """The engine did not translate: it is down, slow, refused the request or answered nonsense."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, "redirect refused", headers, fp)


_opener = urllib.request.build_opener(_NoRedirects)


def is_configured() -> bool:
    return bool(settings.MACHINE_TRANSLATION_URL)


def engine_code(language: str) -> str:
    return ENGINE_CODES.get(language, language)


def translate(text: str, *, source: str, target: str) -> str:
    """`text` translated from `source` into `target` (portal language codes)."""
    if not is_configured():
        raise TranslationUnavailable("machine translation is off")
    payload = {
        "q": text,
        "source": engine_code(source),
        "target": engine_code(target),
        "format": "text",
    }
    if settings.MACHINE_TRANSLATION_API_KEY:
        payload["api_key"] = settings.MACHINE_TRANSLATION_API_KEY
    # The settings allow only http:// and https:// addresses (no file: or other schemes).
    request = urllib.request.Request(  # noqa: S310
        settings.MACHINE_TRANSLATION_URL.rstrip("/") + "/translate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=settings.MACHINE_TRANSLATION_TIMEOUT) as response:
            answer = json.loads(response.read(MAX_RESPONSE_BYTES))
    except urllib.error.HTTPError as problem:
        raise TranslationUnavailable(f"the engine answered {problem.code}") from None
    except (OSError, ValueError) as problem:
        # Refused, unreachable, timed out (URLError and TimeoutError are OSErrors), or not JSON.
        raise TranslationUnavailable(type(problem).__name__) from None
    translated = answer.get("translatedText") if isinstance(answer, dict) else None
    if not isinstance(translated, str) or not translated.strip():
        raise TranslationUnavailable("the engine gave no translation")
    return translated
