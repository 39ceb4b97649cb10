"""Demo policies for ``manage.py seed_demo`` (issue #14): a few thousand shared-data profiles
and a dozen real-world-style policies across classes, made through the real services —
imported, drafted, published, matched and pushed — so every demo login has something to do:

* 法人经办人 (榕城示范科技有限公司): 我的政策 with 免申即享 entitlements (one granted and
  paid, one just notified) and a 申请兑现 policy to claim in one step;
* 公众用户 王小明: a 免申即享 rent subsidy and a training subsidy to claim, close to expiry;
* 部门审批负责人 (市场监管局): a draft to publish, entitlements to grant;
* 监督管理人员: a halt request to approve or reject (PO5), and the figures page.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import COMPANY_CREDIT_CODE
from apps.accounts.models import Department, User
from apps.catalogue.models import ServiceItem
from apps.policies import services
from apps.policies.demo_policies import POLICIES, PROCEDURE, validity
from apps.policies.demo_profiles import demo_files
from apps.policies.models import Entitlement, Policy
from apps.policies.workflow import PolicyState

# Issuing bodies the accounts demo does not have.
DEPARTMENTS = [
    ("KJJ", "市科学技术局", "科技局"),
    ("GXJ", "市工业和信息化局", "工信局"),
    ("SWUJ", "市商务局", "商务局"),
    ("JRJ", "市地方金融管理局", "金融局"),
]
# Their names on /en/ pages (issue #17).
DEPARTMENT_ENGLISH = {
    "KJJ": "Municipal Science and Technology Bureau",
    "GXJ": "Municipal Industry and Information Technology Bureau",
    "SWUJ": "Municipal Commerce Bureau",
    "JRJ": "Municipal Local Financial Administration",
}


def _departments() -> dict[str, Department]:
    for code, name, short in DEPARTMENTS:
        department, _created = Department.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short}
        )
        if department.name_en != DEPARTMENT_ENGLISH[code]:
            department.name_en = DEPARTMENT_ENGLISH[code]
            department.save(update_fields=["name_en", "updated_at"])
    return {d.code: d for d in Department.objects.all()}


def _import(admin: User, today: datetime.date) -> None:
    companies, people = demo_files(today)
    services.profile_import(
        actor=admin, kind="company", file_name="企业画像.csv", content=companies
    )
    services.profile_import(actor=admin, kind="person", file_name="个人画像.csv", content=people)


def _create(
    spec: dict, admin: User, departments: dict[str, Department], today: datetime.date
) -> Policy:
    item = ServiceItem.objects.get(code=spec["item"]) if spec.get("item") else None
    valid_from, valid_until = validity(spec, today)
    data = {
        **{k: v for k, v in spec.items() if k not in ("dept", "item", "halt", "draft", "validity")},
        "fulfilment": spec.get("fulfilment", "automatic"),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "department": departments[spec["dept"]],
        "service_item": item,
        "summary": spec["benefit"],
        "procedure_text": PROCEDURE,
        "contact": "12345",
        "amount": spec.get("amount"),
    }
    policy = services.policy_create(actor=admin, data=data)
    if not spec.get("draft"):
        services.policy_publish(actor=admin, policy_id=policy.pk)
    return policy


def _push_all(policy: Policy) -> None:
    services.policy_match(policy_id=policy.pk)
    while True:
        batch = services.policy_push_send_batch(policy_id=policy.pk)
        if not batch.more or batch.rate_limited or batch.policy_inactive:
            return


def _demo_outcomes(admin: User, approver: User | None, policies: dict[str, Policy]) -> None:
    """The demo company's research subsidy granted and paid; a halt request pending (PO5)."""
    subsidy = policies.get("科技型中小企业研发费用补助")
    if subsidy is not None:
        own = Entitlement.objects.filter(
            policy=subsidy, match__company__credit_code=COMPANY_CREDIT_CODE
        ).first()
        if own is not None and own.state == "notified":
            services.entitlement_grant(actor=admin, entitlement_id=own.pk, note="公示期满无异议")
            services.entitlement_mark_paid(
                actor=admin,
                entitlement_id=own.pk,
                payment_reference=f"GK{timezone.localdate():%Y}0001",
            )
    halted = policies.get("食品小作坊提升改造补助")
    if halted is not None and approver is not None and not halted.halt_requests.exists():
        services.policy_halt_request(
            actor=approver,
            policy_id=halted.pk,
            action="suspend",
            legal_ground="quota_used",
            legal_basis="《市食品小作坊提升改造专项资金管理办法》第十二条：年度资金额度用完即止",
            reason="本年度专项资金已按名单全部安排，申请暂停兑现至下一年度预算下达。",
        )


@transaction.atomic
def seed_demo(*, stdout: TextIO | None = None) -> None:
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    if admin is None or not ServiceItem.objects.exists():
        return  # the accounts or catalogue demo did not run
    today = timezone.localdate()
    departments = _departments()
    _import(admin, today)
    existing = {p.title: p for p in Policy.objects.all()}
    made = 0
    for spec in POLICIES:
        if spec["title"] not in existing:
            existing[spec["title"]] = _create(spec, admin, departments, today)
            made += 1
    for spec in POLICIES:  # the English titles, also of policies an older demo made
        policy = existing[spec["title"]]
        if spec.get("title_en") and policy.title_en != spec["title_en"]:
            services.policy_set_title_en(
                actor=admin, policy_id=policy.pk, title_en=spec["title_en"]
            )
    published = {p.title: p for p in Policy.objects.filter(state=PolicyState.PUBLISHED)}
    for policy in published.values():
        _push_all(policy)
    _demo_outcomes(admin, User.objects.filter(username="approver_scjg").first(), published)
    if stdout is not None:
        stdout.write(
            f"惠企利民政策：{len(existing)}项政策（新建{made}项），"
            f"企业和个人画像各约{1500}、{2500}条，已匹配并推送。\n"
        )
