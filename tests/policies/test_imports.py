"""Shared data imported in bulk, all or nothing, with per-row errors (DOMAIN PO3, A1, A17)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.pii import keyed_hash
from apps.policies.models import CompanyProfile, PersonProfile, ProfileImport
from apps.policies.services import ProfileImportError, profile_import
from apps.policies.services.imports import COMPANY_COLUMNS
from tests.accounts.factories import StaffFactory, make_credit_code, make_resident_id

pytestmark = pytest.mark.django_db

HEADER = ",".join(COMPANY_COLUMNS)


@pytest.fixture
def importer(system_admin):
    return system_admin


def _company_row(code=None, **overrides):
    row = {
        "credit_code": code or make_credit_code(),
        "name": "榕城云数据科技有限公司",
        "industry_code": "I6513",
        "scale": "小型",
        "district_code": "350102",
        "established_on": "2019-05-20",
        "employees": "86",
        "high_tech": "是",
        "tax_credit_grade": "A",
        "data_as_of": "2026-01-31",
    }
    return {**row, **overrides}


def _csv(rows) -> bytes:
    keys = HEADER.split(",")
    lines = [HEADER] + [",".join(str(r[k]) for k in keys) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_csv_import_creates_profiles_and_queues_rematch_po3(
    importer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        record = profile_import(
            actor=importer,
            kind="company",
            file_name="企业.csv",
            content=_csv([_company_row(), _company_row()]),
        )
    assert (record.status, record.row_count, record.created_count) == ("succeeded", 2, 2)
    profile = CompanyProfile.objects.first()
    assert (profile.scale, profile.high_tech, profile.employees) == ("small", True, 86)
    assert profile.changed_by_import == record
    assert [c.__name__ for c in callbacks] == ["queue_rematch_import"]


def test_an_unchanged_reimport_changes_and_queues_nothing(
    importer, django_capture_on_commit_callbacks
):
    rows = [_company_row()]
    profile_import(actor=importer, kind="company", file_name="a.csv", content=_csv(rows))
    with django_capture_on_commit_callbacks() as callbacks:
        again = profile_import(
            actor=importer, kind="company", file_name="b.csv", content=_csv(rows)
        )
    assert (again.created_count, again.changed_count) == (0, 0)
    assert callbacks == []
    rows[0]["employees"] = "120"
    changed = profile_import(actor=importer, kind="company", file_name="c.csv", content=_csv(rows))
    assert changed.changed_count == 1
    assert CompanyProfile.objects.get().changed_by_import == changed


def test_a_bad_uscc_refuses_the_whole_file_with_the_row_named_a1(importer):
    good, bad = _company_row(), _company_row(code="91350100MA2YD3M01X")
    with pytest.raises(ProfileImportError) as info:
        profile_import(
            actor=importer, kind="company", file_name="企业.csv", content=_csv([good, bad])
        )
    assert "整个文件未导入" in info.value.message
    [problem] = info.value.extra["problems"]
    assert problem.startswith("第2条 credit_code：") and "校验位" in problem
    assert not CompanyProfile.objects.exists()  # nothing changed, not even the good row
    record = ProfileImport.objects.get()
    assert record.status == "refused" and record.errors[0]["row"] == 2


def test_a_date_in_the_future_is_refused(importer):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    with pytest.raises(ProfileImportError) as info:
        profile_import(
            actor=importer,
            kind="company",
            file_name="企业.csv",
            content=_csv([_company_row(established_on=tomorrow)]),
        )
    assert "成立日期晚于今天" in info.value.extra["problems"][0]
    assert not CompanyProfile.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"industry_code": "X12"}, "行业代码"),
        ({"scale": "巨型"}, "企业规模不是可选值"),
        ({"district_code": "999999"}, "行政区划代码不存在"),
        ({"employees": "-3"}, "非负整数"),
        ({"high_tech": "maybe"}, "是”或“否"),
        ({"name": ""}, "企业名称不能为空"),
        ({"data_as_of": ""}, "数据截至日期不能为空"),
    ],
)
def test_each_bad_value_is_named(importer, overrides, fragment):
    with pytest.raises(ProfileImportError) as info:
        profile_import(
            actor=importer,
            kind="company",
            file_name="c.csv",
            content=_csv([_company_row(**overrides)]),
        )
    assert fragment in info.value.extra["problems"][0]


def test_empty_values_are_missing_data_not_errors(importer):
    row = _company_row(industry_code="", scale="", employees="", high_tech="", tax_credit_grade="")
    profile_import(actor=importer, kind="company", file_name="c.csv", content=_csv([row]))
    profile = CompanyProfile.objects.get()
    assert profile.industry_code is None and profile.employees is None and profile.high_tech is None


def test_duplicates_within_a_file_are_refused(importer):
    row = _company_row()
    with pytest.raises(ProfileImportError) as info:
        profile_import(actor=importer, kind="company", file_name="c.csv", content=_csv([row, row]))
    assert "与第1条记录重复" in info.value.extra["problems"][0]


def test_json_person_import_encrypts_and_hashes_the_id_number_a17(importer):
    number = make_resident_id(region="350102", birth=datetime.date(1958, 3, 9))
    content = json.dumps(
        [
            {
                "id_number": number,
                "name": "陈阿婆",
                "district_code": "350102",
                "employment_status": "退休",
                "has_disability": False,
                "household_status": "最低生活保障家庭",
                "data_as_of": "2026-01-31",
            }
        ],
        ensure_ascii=False,
    ).encode()
    profile_import(actor=importer, kind="person", file_name="个人.json", content=content)
    profile = PersonProfile.objects.get()
    assert profile.id_number == number and profile.id_number_hash == keyed_hash(number)
    assert profile.birth_date == datetime.date(1958, 3, 9)
    assert (profile.employment_status, profile.household_status) == ("retired", "subsistence")
    with connection.cursor() as cursor:  # what the database holds is ciphertext
        cursor.execute("SELECT id_number FROM policies_personprofile")
        assert number not in cursor.fetchone()[0]


def test_a_bad_id_number_is_reported_without_echoing_it_a17(importer):
    number = make_resident_id(region="350102")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    content = json.dumps(
        [{"id_number": wrong, "name": "某某", "data_as_of": "2026-01-31"}]
    ).encode()
    with pytest.raises(ProfileImportError) as info:
        profile_import(actor=importer, kind="person", file_name="p.json", content=content)
    assert wrong not in json.dumps(info.value.extra, ensure_ascii=False)
    assert wrong not in json.dumps(ProfileImport.objects.get().errors, ensure_ascii=False)


def test_gb18030_csv_from_excel_is_read(importer):
    content = _csv([_company_row()]).decode().encode("gb18030")
    record = profile_import(actor=importer, kind="company", file_name="企业.csv", content=content)
    assert record.created_count == 1


@pytest.mark.parametrize("content", [b"\x00\x01garbage", b"[1, 2]", b"", b"credit_code,name\n"])
def test_unreadable_files_are_refused(importer, content):
    with pytest.raises(ApplicationError):
        profile_import(
            actor=importer,
            kind="company",
            file_name="x.json" if content.startswith(b"[") else "x.csv",
            content=content,
        )
    assert not CompanyProfile.objects.exists()


def test_only_data_administrators_import(approver, citizen):
    for actor in (approver, citizen, StaffFactory()):
        with pytest.raises(PermissionDeniedError):
            profile_import(
                actor=actor, kind="company", file_name="c.csv", content=_csv([_company_row()])
            )
