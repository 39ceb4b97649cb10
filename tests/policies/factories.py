"""Factories for policy tests: profiles as data sharing supplies them, policies in any state."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from apps.common.idnumbers import birth_date_of
from apps.policies.criteria import SubjectKind
from apps.policies.models import (
    CompanyProfile,
    Fulfilment,
    PersonProfile,
    Policy,
    PolicyClass,
)
from apps.policies.workflow import PolicyState
from tests.accounts.factories import DepartmentFactory, make_credit_code, make_resident_id


class CompanyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyProfile

    credit_code = factory.LazyFunction(make_credit_code)
    name = factory.Sequence(lambda n: f"榕城测试科技有限公司{n}")
    industry_code = "I6513"
    scale = "small"
    district_code = "350102"
    established_on = datetime.date(2020, 3, 1)
    employees = 50
    high_tech = True
    tax_credit_grade = "A"
    data_as_of = factory.LazyFunction(timezone.localdate)


class PersonProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonProfile

    id_number = factory.LazyFunction(lambda: make_resident_id(region="350102"))
    name = factory.Sequence(lambda n: f"林测试{n}")
    birth_date = factory.LazyAttribute(lambda o: birth_date_of(o.id_number))
    district_code = "350102"
    employment_status = "employed"
    has_disability = False
    household_status = "ordinary"
    data_as_of = factory.LazyFunction(timezone.localdate)


class PolicyFactory(factory.django.DjangoModelFactory):
    """A policy placed directly in a state (for tests of later steps)."""

    class Meta:
        model = Policy

    code = factory.Sequence(lambda n: f"ZC2026{n:05d}")
    title = factory.Sequence(lambda n: f"科技型中小企业研发费用补助{n}")
    policy_class = PolicyClass.ENTERPRISE
    department = factory.SubFactory(DepartmentFactory)
    subject_kind = SubjectKind.COMPANY
    summary = "对符合条件的科技型中小企业给予研发费用补助。"
    benefit = "按上年度研发费用的10%给予补助，最高50万元。"
    amount = None
    conditions_text = "在本市注册、纳税信用A级的高新技术企业。"
    procedure_text = "系统比对—部门认定—公示—拨付。"
    time_limit_text = "认定后20个工作日内拨付"
    legal_basis = "《市科技型中小企业研发费用补助办法》第五条"
    fulfilment = Fulfilment.AUTOMATIC
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=300))
    criteria = factory.LazyFunction(list)
    state = PolicyState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
