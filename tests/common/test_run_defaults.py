"""`make run` serves the portal as a citizen sees it (issue #8): DEBUG off unless asked,
so unknown addresses and errors get the Chinese pages, and the static files still load."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_turns_debug_off_unless_asked():
    script = (ROOT / "bin" / "run").read_text(encoding="utf-8")
    assert "export DJANGO_DEBUG=${DJANGO_DEBUG:-false}" in script
    assert script.index("DJANGO_DEBUG=") < script.index("runserver")


def test_static_files_are_served_with_debug_off(client, db):
    assert settings.DEBUG is False and settings.WHITENOISE_USE_FINDERS is True
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert b".table-cards" in b"".join(response.streaming_content)


def test_an_unknown_address_gets_the_chinese_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "抱歉，您访问的页面不存在" in response.content.decode()
