from __future__ import annotations

import datetime
import random

import factory
from stdnum.cn import ric, uscc

from apps.accounts.models import Company, Department, ServiceCenter, User
from apps.accounts.roles import Role, group_name


def make_resident_id(
    *, region: str = "110105", birth: datetime.date | None = None, seq: int | None = None
) -> str:
    """A valid 居民身份证 number (GB 11643) for tests and demo data."""
    birth = birth or datetime.date(1960, 1, 1) + datetime.timedelta(days=random.randint(0, 15000))
    seq = random.randint(0, 999) if seq is None else seq
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    # stdnum's calc_check_digit expects the full 18 characters and ignores the last one.
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(*, region: str = "350100", org: str | None = None) -> str:
    """A valid 统一社会信用代码 (GB 32100) for tests and demo data."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    org = org or "".join(random.choice(alphabet) for _ in range(9))
    body = f"91{region}{org}"
    return body + uscc.calc_check_digit(body)


_phone_seq = iter(range(10_000_000, 99_999_999))


def make_phone() -> str:
    return f"139{next(_phone_seq):08d}"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:04d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    level = Department.Level.CITY


class ServiceCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCenter

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"测试政务服务中心{n}")
    kind = ServiceCenter.Kind.GOVERNMENT_SERVICE_CENTER
    level = Department.Level.CITY
    address = "市民中心一楼"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    credit_code = factory.LazyFunction(make_credit_code)
    legal_representative = "李四"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"张三{n}")
    kind = User.Kind.CITIZEN
    phone = factory.LazyFunction(make_phone)
    id_number = factory.LazyFunction(make_resident_id)
    password = factory.django.Password("Portal#2026")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | str | None, **kwargs) -> None:
        if create and extracted:
            from django.contrib.auth.models import Group

            self.groups.add(Group.objects.get(name=group_name(extracted)))

    @factory.post_generation
    def departments(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.departments.add(*extracted)


class StaffFactory(UserFactory):
    kind = User.Kind.STAFF
    is_staff = True
    phone = ""
    id_number = ""
