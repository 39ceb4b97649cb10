"""Private downloads of an application's documents and materials (A16, A17).

Permission matrix: the owner and staff of the application's department may download;
another citizen and staff of another department get a 404; anonymous users log in first.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from apps.applications import services
from apps.applications.models import ApplicationMaterial
from tests.applications.factories import PDF_BYTES, guide_for
from tests.support.journeys import submit_online


@pytest.fixture
def accepted(guide, citizen, window_staff, render_documents):
    """Submitted online with one PDF, accepted with a 受理通知书 (A4), its PDF rendered."""
    app = submit_online(citizen, guide, filename="营业执照复印件.pdf")
    app = services.application_accept(application_id=app.pk, actor=window_staff)
    render_documents()
    return app


def _document_url(app) -> str:
    return reverse("applications:document", args=[app.pk, app.documents.get().document_id])


def _material_url(app) -> str:
    return reverse("applications:material", args=[app.pk, app.materials.get().pk])


MATRIX = [
    ("citizen", 200),
    ("window_staff", 200),
    ("other_citizen", 404),
    ("other_dept_staff", 404),
]


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_document_download_permission_matrix(client, request, accepted, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_document_url(accepted))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("inline") and quote("受理通知书") in disposition
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_material_download_permission_matrix(client, request, accepted, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_material_url(accepted))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("inline") and quote("营业执照复印件.pdf") in disposition
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_anonymous_is_sent_to_login(client, accepted):
    for url in (_document_url(accepted), _material_url(accepted)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_file_of_another_application_is_404_through_mine(client, accepted, citizen, department):
    """The ids must belong together: my application id cannot open someone else's file."""
    other_guide = guide_for(department)
    mine = services.application_create_draft(actor=citizen, item_id=other_guide.item_id)
    client.force_login(citizen)
    document_id = accepted.documents.get().document_id
    material_id = accepted.materials.get().pk
    assert client.get(_document_url(accepted)).status_code == 200
    url = reverse("applications:document", args=[mine.pk, document_id])
    assert client.get(url).status_code == 404
    url = reverse("applications:material", args=[mine.pk, material_id])
    assert client.get(url).status_code == 404


def test_materials_are_stored_outside_the_public_media_root(accepted, settings):
    """A17: applicants' files live in private storage, served only by the checked view."""
    material = ApplicationMaterial.objects.get(application=accepted)
    path = Path(material.file.path).resolve()
    assert Path(settings.PRIVATE_FILES_ROOT).resolve() in path.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents


def test_uploaded_materials_have_no_public_url_a17():
    """Applicants' files are reachable only through the permission-checked view."""
    from apps.applications.models import ApplicationMaterial

    storage = ApplicationMaterial._meta.get_field("file").storage
    with pytest.raises(ValueError):
        storage.url("applications/1/scan.pdf")
