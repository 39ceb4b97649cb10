"""Document numbers (DOMAIN A4: numbered, dated receipts)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection, transaction

from apps.documents.models import DocumentKind, IssuedDocument
from apps.documents.services import document_issue
from tests.accounts.factories import DepartmentFactory, StaffFactory
from tests.support.races import race

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_number_uses_short_name_kind_and_year(issue):
    document = issue()
    assert document.number == "榕市监受字〔2026〕第000001号"
    assert (document.year, document.sequence) == (2026, 1)


def test_number_falls_back_to_department_code(issue):
    department = DepartmentFactory(code="GAJ", name="榕城市公安局")
    document = issue(department=department, kind=DocumentKind.DENIAL_DECISION)
    assert document.number.startswith("GAJ不许字〔")


def test_numbers_are_sequential_per_department_kind_and_year(issue):
    numbers = [issue().sequence for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert issue(kind=DocumentKind.DENIAL_DECISION).sequence == 1
    assert issue(department=DepartmentFactory(code="GAJ")).sequence == 1
    assert issue().sequence == 4


def test_sequence_restarts_with_the_local_year(issue):
    # 2026-12-31 23:30 in Shanghai is still 2026 there although UTC says 15:30.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI)):
        assert issue().number.endswith("〔2026〕第000001号")
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 5, tzinfo=SHANGHAI)):
        assert issue().number == "榕市监受字〔2027〕第000001号"


def test_rolled_back_issue_gives_its_number_back(issue):
    """The caller's transaction decides: a rollback leaves no row and no gap."""
    issue()
    with pytest.raises(RuntimeError), transaction.atomic():
        issue()
        raise RuntimeError("the application change failed")
    assert IssuedDocument.objects.count() == 1
    assert issue().sequence == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_gets_unique_gapless_numbers(settings, tmp_path):
    """Many windows issue at once: the locked sequence row serialises them on Postgres."""
    assert connection.vendor == "postgresql"
    department = DepartmentFactory(code="SCJGJ", name="榕城市市场监督管理局", short_name="榕市监")
    actor = StaffFactory()
    workers = 8

    def work() -> str:
        return document_issue(
            kind=DocumentKind.ACCEPTANCE_NOTICE,
            department=department,
            applicant_name="王小明",
            title="受理通知书",
            body="决定予以受理。",
            reference="SQ1",
            actor=actor,
        ).number

    results = race(*[work] * workers)

    assert [r for r in results if isinstance(r, BaseException)] == []
    numbers = [str(r) for r in results]
    year = IssuedDocument.objects.get(number=numbers[0]).year
    expected = {f"榕市监受字〔{year}〕第{i:06d}号" for i in range(1, workers + 1)}
    assert sorted(numbers) == sorted(expected)
    assert IssuedDocument.objects.filter(department=department).count() == workers
