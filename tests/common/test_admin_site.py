"""The admin site builds each request's app list once (issue 16; apps.common.admin_site)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite

from apps.common.admin_site import PortalAdminSite

pytestmark = pytest.mark.django_db


def test_the_admin_site_is_the_portal_s():
    assert isinstance(
        admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site, PortalAdminSite
    )


def test_the_index_builds_its_app_list_once_and_shows_it(client, window_staff, monkeypatch):
    built = []
    original = AdminSite._build_app_dict

    def counting(self, request, label=None):
        built.append(label)
        return original(self, request, label)

    monkeypatch.setattr(AdminSite, "_build_app_dict", counting)
    client.force_login(window_staff)

    response = client.get("/admin/")

    assert response.status_code == 200 and built == [None]
    assert response.context["app_list"] is response.context["available_apps"]
    assert 'href="/admin/applications/application/"' in response.content.decode()
