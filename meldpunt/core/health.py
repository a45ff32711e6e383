"""`/healthz`: is the portal able to accept and process signals right now? `/healthz/live`: does
the web process answer at all (a container's liveness check; it touches no database or broker,
so an outage of those does not get the web process restarted)."""

from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


# Details the apps add to /healthz (registered in their AppConfig.ready, so that the core imports
# no app): data problems worth a look, which do not make the portal unavailable.
_DETAILS: dict[str, Callable[[], dict]] = {}


def register_detail(name: str, detail: Callable[[], dict]) -> None:
    _DETAILS[name] = detail


def _details() -> dict[str, dict]:
    result = {}
    for name, detail in _DETAILS.items():
        try:
            result[name] = detail()
        except Exception:
            result[name] = {"status": "unavailable"}
    return result


@never_cache
def healthz(request):
    parts = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(parts.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "unavailable" for name, ok in parts.items()})
    if parts["database"]:
        body.update(_details())
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def live(request):
    return HttpResponse("ok", content_type="text/plain")
