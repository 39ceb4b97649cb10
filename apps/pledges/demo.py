"""Demo data of the pledge route for ``manage.py seed_demo`` (issue #11), made through the
real services: the 文旅局 and 交通运输局 pledge-list items with the paper 告知承诺书 line
replaced by the online signature (P6), and cases in every state —

* 榕城示范科技有限公司 (the demo agent): a verification pending, one ordered to rectify,
  one found compliant, one pledged case waiting in the approver's queue, a signed draft;
* 榕城远航旅游有限公司 (the same agent's second company): a decision revoked for a false
  pledge and a case terminated while handled — the restricted company (P4), so the agent
  sees the route offered for one company and refused, with the reason, for the other;
The 文旅局's approver ``approver_wlj`` (password as every demo login) decides and verifies.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.models import Company, Department, User
from apps.accounts.roles import Role, group_name
from apps.applications import services as app_services
from apps.applications.demo import DEMO_PDF
from apps.catalogue.models import GuideMaterial, ServiceItem
from apps.catalogue.selectors import guide_get_published
from apps.pledges import selectors, services
from apps.pledges.models import Pledge, PledgeableCertificate

APPROVER = "approver_wlj"
SECOND_COMPANY = ("91350100MA2YE8K076", "榕城远航旅游有限公司")
ITEMS = {
    "agency": "350100-WLJ-XK-0001",  # 旅行社业务经营许可
    "broker": "350100-WLJ-XK-0002",  # 演出经纪机构设立审批
    "troupe": "350100-WLJ-XK-0003",  # 文艺表演团体设立审批
    "freight": "350100-JTYSJ-XK-0001",  # 道路货物运输经营许可
}


def demo_logins() -> list[tuple[str, str, str]]:
    return [("部门审批负责人 市文化广电旅游局（告知承诺）", APPROVER, DEMO_PASSWORD)]


def _pledge_lines() -> None:
    """P6: on every pledge-list item, the paper 告知承诺书 is replaced by the signature."""
    for material in GuideMaterial.objects.filter(
        guide__status="published", guide__pledge_enabled=True, name__contains="告知承诺书"
    ):
        PledgeableCertificate.objects.get_or_create(
            material=material,
            defaults={"certified_matter": "申请人符合许可条件（在线签署告知承诺书即可，无需另交）"},
        )


def _approver(department: Department) -> User:
    user, _created = User.objects.get_or_create(
        username=APPROVER,
        defaults={"full_name": "文旅审批", "kind": User.Kind.STAFF, "is_staff": True},
    )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=group_name(Role.DEPARTMENT_APPROVER)))
    user.departments.add(department)
    return user


def _sign(user: User, code: str, company: Company | None = None) -> Pledge:
    item = ServiceItem.objects.get(code=code)
    guide = guide_get_published(item)
    assert guide is not None
    certificates = selectors.certificates_of(guide)
    pledge = services.pledge_start(
        actor=user,
        item_id=item.pk,
        company_id=company.pk if company else None,
        signed_name=user.full_name,
        text_sha256=selectors.pledge_digest(guide, certificates),
        ip_address="127.0.0.1",
    )
    return pledge


def _submit(pledge: Pledge, user: User) -> Pledge:
    application = pledge.application
    waived = services.waived_materials(application)
    for material in application.guide.materials.all():
        if material.pk in waived:
            continue
        app_services.application_attach_material(
            application_id=application.pk,
            actor=user,
            guide_material_id=material.pk,
            upload=SimpleUploadedFile(f"{material.name}.pdf", DEMO_PDF, "application/pdf"),
        )
    app_services.application_submit(application_id=application.pk, actor=user)
    return pledge


def _approve(pledge: Pledge, user: User, approver: User):
    _submit(pledge, user)
    services.pledge_approve(application_id=pledge.application_id, actor=approver)
    pledge.refresh_from_db()
    return pledge.verification


def _check(task, approver: User, *, compliant: bool, items: list[str] | None = None):
    return services.verification_record(
        task_id=task.pk,
        actor=approver,
        compliant=compliant,
        evidence="现场核查经营场所、人员和制度。"
        + ("与承诺一致。" if compliant else "与承诺不符。"),
        place="鼓楼区五四路158号",
        inspected_on=datetime.date.today(),
        rectify_items=items,
    )


def seed_demo(*, stdout: TextIO | None = None) -> None:
    agent = User.objects.filter(kind=User.Kind.COMPANY_AGENT, full_name="钱经办").first()
    department = Department.objects.filter(code="WLJ").first()
    freight = ServiceItem.objects.filter(code=ITEMS["freight"]).first()
    if not (agent and department and freight):
        return  # the accounts or catalogue demo did not run
    if Pledge.objects.exists():
        if stdout:
            stdout.write("告知承诺：演示数据已存在，未改动。")
        return
    with transaction.atomic():
        _pledge_lines()
        approver = _approver(department)
        company = agent.companies.order_by("id").first()
        second, _created = Company.objects.get_or_create(
            credit_code=SECOND_COMPANY[0],
            defaults={"name": SECOND_COMPANY[1], "legal_representative": "钱法人"},
        )
        agent.companies.add(second)
        # The second company signs twice while its credit is still clean.
        revoked = _sign(agent, ITEMS["troupe"], second)
        terminated = _sign(agent, ITEMS["broker"], second)
        # 榕城示范科技: rectifying, compliant, pending, and one in the queue.
        task = _approve(_sign(agent, ITEMS["agency"], company), agent, approver)
        _check(
            task, approver, compliant=False, items=["缴纳旅游服务质量保证金", "补充专职导游名单"]
        )
        task = _approve(_sign(agent, ITEMS["troupe"], company), agent, approver)
        _check(task, approver, compliant=True)
        _approve(_sign(agent, ITEMS["broker"], company), agent, approver)
        _submit(_sign(agent, ITEMS["agency"], company), agent)
        _sign(agent, ITEMS["freight"], company)  # signed, still a draft
        # The false pledges of the second company: revoked, then terminated (P3a, P6).
        task = _approve(revoked, agent, approver)
        _check(task, approver, compliant=False, items=["配备专职演员不少于8名"])
        _check(task, approver, compliant=False)
        services.verification_revoke(
            task_id=task.pk,
            actor=approver,
            reasons="专职演员名单中6人系挂名，整改期满仍不符合设立条件，承诺不实",
        )
        _submit(terminated, agent)
        services.pledge_terminate(
            application_id=terminated.application_id,
            actor=approver,
            reasons="经核实，承诺的演出经纪人员资格证书系他人证书",
        )
    if stdout:
        stdout.write(
            "告知承诺：7件演示办件（待核查、责令整改、核查合格、已撤销、终止办理、待审查、草稿），"
            "榕城远航旅游有限公司存在失信记录。"
        )
