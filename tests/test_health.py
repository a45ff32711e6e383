import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_reference_data")]


# Without areas loaded nobody is uncovered; test_area_routing.py tests the coverage detail.
NO_AREAS = {"coverage": {"status": "ok", "covered_by_fallback": [], "covered_by_nobody": []}}


def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", **NO_AREAS}


def test_healthz_names_the_broker_when_redis_is_down(client, services):
    services.redis.stop()
    try:
        response = client.get("/healthz")
    finally:
        services.redis.start()
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unavailable",
        **NO_AREAS,
    }
    assert client.get("/healthz").status_code == 200


def test_liveness_answers_without_database_or_broker(client, services, django_assert_num_queries):
    services.redis.stop()
    try:
        with django_assert_num_queries(0):
            response = client.get("/healthz/live")
    finally:
        services.redis.start()
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]
