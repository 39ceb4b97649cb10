"""The production stack as declared (issue 16). No Docker engine runs here, so the compose
file is read as data: what `docker compose up --scale web=N --scale worker=N` relies on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_every_long_running_service_has_a_health_check():
    for name in ("postgres", "redis", "web", "worker", "beat", "proxy"):
        assert SERVICES[name].get("healthcheck", {}).get("test"), name


def test_data_lives_on_named_volumes_shared_by_web_and_workers():
    assert {"pgdata", "redisdata", "private-files"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    for name in ("web", "worker", "beat"):
        assert "private-files:/app/var" in SERVICES[name]["volumes"], name


def test_web_and_worker_scale_out_behind_one_port():
    # A fixed host port or container name would make a second replica fail to start.
    for name in ("web", "worker"):
        assert "ports" not in SERVICES[name] and "container_name" not in SERVICES[name], name
    assert SERVICES["proxy"]["ports"] and "8080" in SERVICES["proxy"]["ports"][0]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "http://web:8000" in nginx and "resolver 127.0.0.11" in nginx
    assert SERVICES["beat"]["deploy"]["replicas"] == 1  # exactly one scheduler


def test_web_runs_gunicorn_and_waits_for_migrations():
    command = SERVICES["web"]["command"]
    assert command[0] == "gunicorn" and "python:govservice.gunicorn_conf" in command
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert SERVICES["web"]["environment"]["DJANGO_SETTINGS_MODULE"].endswith("production")


def test_production_keeps_database_connections_and_checks_them():
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="govservice.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        PII_ENCRYPTION_KEYS="dGVzdC1vbmx5LXBpaS1rZXktLS0tLS0tLS0tLS0tLS0=",
        PII_HASH_KEY="k",
        DJANGO_ALLOWED_HOSTS="zwfw.example.gov.cn",
    )
    env.pop("DB_CONN_MAX_AGE", None)
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "d=s.DATABASES['default'];print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["60", "True"]
