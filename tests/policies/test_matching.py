"""DOMAIN PO3: matching runs in the database — every criterion kind, its boundaries, and the
rule that missing data never matches; idempotent re-runs; lapse and revival."""

from __future__ import annotations

import datetime

import pytest

from apps.policies.criteria import SubjectKind
from apps.policies.models import Entitlement, PolicyMatch, PolicyPush
from apps.policies.services import policy_match
from tests.accounts.factories import make_resident_id
from tests.policies.factories import CompanyProfileFactory, PersonProfileFactory, PolicyFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def _matched(criteria, kind=SubjectKind.COMPANY) -> set[int]:
    policy = PolicyFactory(
        subject_kind=kind,
        criteria=criteria,
        valid_from=TODAY - datetime.timedelta(days=10),
        valid_until=TODAY + datetime.timedelta(days=10),
    )
    policy_match(policy_id=policy.pk, today=TODAY)
    field = "company_id" if kind == SubjectKind.COMPANY else "person_id"
    return set(PolicyMatch.objects.filter(policy=policy).values_list(field, flat=True))


def _c(attribute, operator, value):
    return [{"attribute": attribute, "operator": operator, "value": value}]


def test_industry_prefix_matches_section_division_and_class_po3():
    software = CompanyProfileFactory(industry_code="I6513")
    telecom = CompanyProfileFactory(industry_code="I6311")
    factory_ = CompanyProfileFactory(industry_code="C3911")
    CompanyProfileFactory(industry_code=None)
    assert _matched(_c("industry", "prefix", ["I65"])) == {software.pk}
    assert _matched(_c("industry", "prefix", ["I"])) == {software.pk, telecom.pk}
    assert _matched(_c("industry", "prefix", ["I6513", "C39"])) == {software.pk, factory_.pk}
    # Missing data never matches, not even a negative condition.
    assert _matched(_c("industry", "not_prefix", ["I"])) == {factory_.pk}


def test_empty_criteria_match_every_profile_of_the_kind():
    a, b = CompanyProfileFactory(), CompanyProfileFactory(industry_code=None, scale=None)
    PersonProfileFactory()
    assert _matched([]) == {a.pk, b.pk}


def test_choices_in_and_not_in_with_missing_data_po3():
    small = CompanyProfileFactory(scale="small", district_code="350102")
    micro = CompanyProfileFactory(scale="micro", district_code="350103")
    none = CompanyProfileFactory(scale=None, district_code=None)
    assert _matched(_c("scale", "in", ["small", "micro"])) == {small.pk, micro.pk}
    assert _matched(_c("scale", "not_in", ["small"])) == {micro.pk}
    assert _matched(_c("district", "in", ["350103"])) == {micro.pk}
    assert _matched(_c("district", "not_in", ["350103"])) == {small.pk}
    assert none.pk not in _matched(_c("district", "not_in", ["350181"]))


def test_integer_bounds_are_inclusive_and_null_never_matches_po3():
    nine, ten, three_hundred, big = (CompanyProfileFactory(employees=n) for n in (9, 10, 300, 301))
    CompanyProfileFactory(employees=None)
    assert _matched(_c("employees", "between", [10, 300])) == {ten.pk, three_hundred.pk}
    assert _matched(_c("employees", "gte", 300)) == {three_hundred.pk, big.pk}
    assert _matched(_c("employees", "lte", 9)) == {nine.pk}
    assert _matched(_c("employees", "eq", 10)) == {ten.pk}


def test_establishment_date_bounds_po3():
    early = CompanyProfileFactory(established_on=datetime.date(2023, 12, 31))
    first = CompanyProfileFactory(established_on=datetime.date(2024, 1, 1))
    CompanyProfileFactory(established_on=None)
    assert _matched(_c("established_on", "on_or_after", "2024-01-01")) == {first.pk}
    assert _matched(_c("established_on", "on_or_before", "2023-12-31")) == {early.pk}
    assert _matched(_c("established_on", "between", ["2023-12-31", "2024-01-01"])) == {
        early.pk,
        first.pk,
    }


def test_company_age_counts_whole_years_on_the_anniversary_po3():
    """成立满3年: established 2023-06-15 is exactly 3 years old on 2026-06-15; a day later not."""
    exactly = CompanyProfileFactory(established_on=datetime.date(2023, 6, 15))
    day_short = CompanyProfileFactory(established_on=datetime.date(2023, 6, 16))
    assert _matched(_c("company_age", "gte", 3)) == {exactly.pk}
    assert _matched(_c("company_age", "lte", 2)) == {day_short.pk}
    assert _matched(_c("company_age", "eq", 3)) == {exactly.pk}


def test_booleans_match_true_and_false_never_unknown_po3():
    yes = CompanyProfileFactory(high_tech=True)
    no = CompanyProfileFactory(high_tech=False)
    CompanyProfileFactory(high_tech=None)
    assert _matched(_c("high_tech", "eq", True)) == {yes.pk}
    assert _matched(_c("high_tech", "eq", False)) == {no.pk}


def test_tax_credit_grade_po3():
    a = CompanyProfileFactory(tax_credit_grade="A")
    CompanyProfileFactory(tax_credit_grade="M")
    CompanyProfileFactory(tax_credit_grade=None)
    assert _matched(_c("tax_credit_grade", "in", ["A"])) == {a.pk}


def _born(day: datetime.date, **kwargs):
    return PersonProfileFactory(id_number=make_resident_id(region="350102", birth=day), **kwargs)


def test_age_turns_on_the_birthday_po3():
    """60周岁: born 1966-06-15 is 60 on 2026-06-15; born 1966-06-16 is still 59."""
    sixty = _born(datetime.date(1966, 6, 15))
    fifty_nine = _born(datetime.date(1966, 6, 16))
    assert _matched(_c("age", "gte", 60), SubjectKind.PERSON) == {sixty.pk}
    assert _matched(_c("age", "lte", 59), SubjectKind.PERSON) == {fifty_nine.pk}
    assert _matched(_c("age", "between", [59, 59]), SubjectKind.PERSON) == {fifty_nine.pk}


def test_leap_day_birthday_counts_from_the_first_of_march():
    """Born 2008-02-29: 18 on 2026-03-01, not on 2026-02-28 (no 29 February that year)."""
    person = _born(datetime.date(2008, 2, 29))
    for today, expected in (
        (datetime.date(2026, 2, 28), set()),
        (datetime.date(2026, 3, 1), {person.pk}),
    ):
        policy = PolicyFactory(
            subject_kind=SubjectKind.PERSON,
            criteria=_c("age", "gte", 18),
            valid_from=today,
            valid_until=today,
        )
        policy_match(policy_id=policy.pk, today=today)
        assert set(policy.matches.values_list("person_id", flat=True)) == expected


def test_person_attributes_with_missing_data_po3():
    unemployed = PersonProfileFactory(
        employment_status="unemployed",
        has_disability=True,
        household_status="subsistence",
        district_code="350103",
    )
    employed = PersonProfileFactory(employment_status="employed", has_disability=False)
    unknown = PersonProfileFactory(
        employment_status=None, has_disability=None, household_status=None, district_code=None
    )
    person = SubjectKind.PERSON
    assert _matched(_c("employment_status", "in", ["unemployed"]), person) == {unemployed.pk}
    assert _matched(_c("employment_status", "not_in", ["unemployed"]), person) == {employed.pk}
    assert _matched(_c("disability", "eq", True), person) == {unemployed.pk}
    assert _matched(_c("disability", "eq", False), person) == {employed.pk}
    assert _matched(_c("household", "in", ["subsistence", "extreme_poverty"]), person) == {
        unemployed.pk
    }
    assert unknown.pk not in _matched(_c("district", "not_in", ["350103"]), person)


def test_all_conditions_must_hold():
    both = CompanyProfileFactory(high_tech=True, employees=100)
    CompanyProfileFactory(high_tech=True, employees=5)
    CompanyProfileFactory(high_tech=False, employees=100)
    criteria = _c("high_tech", "eq", True) + _c("employees", "gte", 20)
    assert _matched(criteria) == {both.pk}


def test_a_second_run_adds_nothing_po3():
    CompanyProfileFactory.create_batch(3)
    policy = PolicyFactory(valid_from=TODAY, valid_until=TODAY)
    first = policy_match(policy_id=policy.pk, today=TODAY)
    second = policy_match(policy_id=policy.pk, today=TODAY)
    assert (first.matched, first.pushes_queued, first.entitlements) == (3, 3, 3)
    assert (second.matched, second.pushes_queued, second.entitlements) == (0, 0, 0)
    assert PolicyMatch.objects.filter(policy=policy).count() == 3
    assert PolicyPush.objects.filter(policy=policy).count() == 3
    assert Entitlement.objects.filter(policy=policy).count() == 3


def test_inactive_policies_are_not_matched():
    CompanyProfileFactory()
    draft = PolicyFactory(state="draft", valid_from=TODAY, valid_until=TODAY)
    later = PolicyFactory(
        valid_from=TODAY + datetime.timedelta(days=1),
        valid_until=TODAY + datetime.timedelta(days=9),
    )
    assert policy_match(policy_id=draft.pk, today=TODAY) is None
    assert policy_match(policy_id=later.pk, today=TODAY) is None
    assert not PolicyMatch.objects.exists()


def test_changed_profile_lapses_then_revives_without_a_second_push():
    company = CompanyProfileFactory(employees=50)
    policy = PolicyFactory(criteria=_c("employees", "gte", 20), valid_from=TODAY, valid_until=TODAY)
    policy_match(policy_id=policy.pk, today=TODAY)
    company.employees = 5
    company.save()
    report = policy_match(policy_id=policy.pk, today=TODAY)
    match = PolicyMatch.objects.get(policy=policy)
    assert report.lapsed == 1 and match.lapsed_at is not None
    assert match.push.status == "withdrawn"
    company.employees = 60
    company.save()
    report = policy_match(policy_id=policy.pk, today=TODAY)
    match.refresh_from_db()
    assert report.revived == 1 and match.lapsed_at is None
    assert PolicyPush.objects.filter(policy=policy).count() == 1
    assert match.push.status == "queued"
