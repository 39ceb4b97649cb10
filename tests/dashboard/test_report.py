"""The monthly report (DOMAIN R6): a page that prints on A4 and a PDF in the shipped font."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.reviews.factories import review


def test_report_page(client, supervisor, department):
    given = review(department, UserFactory(), "satisfied")
    client.force_login(supervisor)
    month = given.day.strftime("%Y-%m")
    page = client.get(reverse("dashboard:report") + f"?month={month}").content.decode()
    assert "政务服务好差评月度报告" in page and department.name in page
    assert "@page" not in page  # the print rules live in the stylesheet


def test_report_pdf_embeds_the_font_and_reads_in_chinese(client, supervisor, department, tmp_path):
    given = review(department, UserFactory(), "dissatisfied")
    client.force_login(supervisor)
    month = given.day.strftime("%Y-%m")
    response = client.get(reverse("dashboard:report_pdf") + f"?month={month}")
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and b"NotoSansSC" in pdf
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils missing (make test installs it)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "月度报告" in text and department.name in text and "满意度趋势" in text
