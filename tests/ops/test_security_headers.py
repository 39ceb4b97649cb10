"""The production settings' transport and security headers (issue 16, hostile input).

Run in a child process with ``govservice.settings.production`` (the secrets it demands
given as throwaway values) against the test database, through Django's test client."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

PROBE = """
import json, django
django.setup()
from django.test import Client
c = Client()
out = {}
r = c.get("/", secure=True)
out["https"] = [r.status_code, {k: v for k, v in r.headers.items()}]
r = c.get("/")
out["http"] = [r.status_code, r.headers.get("Location", "")]
r = c.get("/healthz")
out["healthz_http"] = r.status_code
print(json.dumps(out))
"""


@pytest.fixture
def production_response():
    s = connection.settings_dict
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="govservice.settings.production",
        DATABASE_URL=f"postgres://{s['USER']}@{host}/{s['NAME']}",
        DJANGO_SECRET_KEY="headers-test-" + "k" * 50,
        PII_ENCRYPTION_KEYS="dGVzdC1vbmx5LXBpaS1rZXktLS0tLS0tLS0tLS0tLS0=",
        PII_HASH_KEY="test-only-pii-hash-key",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    env.pop("DJANGO_SECURE_SSL_REDIRECT", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_https_pages_carry_the_security_headers(production_response):
    status, headers = production_response["https"]
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_pages_carry_a_content_security_policy_without_inline_code(production_response):
    """Scripts and styles from the portal's own files only: no 'unsafe-inline' and no
    'unsafe-eval' anywhere; no plugins, no framing, no foreign form targets or base URL
    (tests/e2e/test_content_security_policy.py shows the pages keep to it in a browser)."""
    _, headers = production_response["https"]
    policy = {}
    for part in headers["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        policy[name] = value
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in headers["Content-Security-Policy"]


def test_plain_http_is_redirected_except_the_health_check(production_response):
    status, location = production_response["http"]
    assert status == 301 and location.startswith("https://")
    assert production_response["healthz_http"] in (200, 503)  # answered, not redirected
