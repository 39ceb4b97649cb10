from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    from apps.common import health

    real_check = health.broker_ok
    # A real connection attempt to a port where nothing listens.
    monkeypatch.setattr(health, "broker_ok", lambda: real_check("redis://127.0.0.1:1/0"))
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"
