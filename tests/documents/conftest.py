from __future__ import annotations

import pytest

from apps.documents.models import DocumentKind
from apps.documents.services import document_issue, document_render
from tests.accounts.factories import DepartmentFactory


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.SITE_URL = "https://zwfw.example.gov.cn"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def issuing_department(db):
    return DepartmentFactory(code="SCJGJ", name="榕城市市场监督管理局", short_name="榕市监")


BODY = (
    "你（单位）于二〇二六年十一月二十日提交的食品经营许可申请，申请材料齐全、"
    "符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。"
)


@pytest.fixture
def issue(issuing_department, window_staff):
    def _issue(*, render: bool = True, **overrides):
        """Issue a document and, unless ``render=False``, do what the worker does after
        commit: render its PDF."""
        values = {
            "kind": DocumentKind.ACCEPTANCE_NOTICE,
            "department": issuing_department,
            "applicant_name": "王小明",
            "title": "受理通知书",
            "body": BODY,
            "reference": "SQ20261122000123",
            "actor": window_staff,
            "extra": None,
        }
        values.update(overrides)
        document = document_issue(**values)
        return document_render(document_id=document.pk) if render else document

    return _issue
