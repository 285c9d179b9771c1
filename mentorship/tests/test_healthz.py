import json

import pytest
from django.conf import settings

from mentorship.celery import app

pytestmark = pytest.mark.django_db


def test_healthy_database_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    expected_broker = "not configured" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["broker"] == expected_broker


def test_unreachable_broker_answers_503(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"


def test_healthz_needs_no_login_and_is_not_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]
