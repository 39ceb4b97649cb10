"""Demo applications for ``manage.py seed_demo``: a few cases in different states so every
demo login has something to look at (the citizen's 我的办件, the window queues, the
approver's decisions, the supervisor's overview). Made through the real services, so the
timeline, the clock and the receipts are exactly what a real case would have.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.applications import services
from apps.applications.completeness import answers_of
from apps.applications.models import Application, ApplicationMaterial, TimelineEvent
from apps.applications.services.clock import clock_dates
from apps.applications.services.supervision import supervise_applications
from apps.catalogue.application_forms import parse_form
from apps.catalogue.application_forms.printable import sample_values
from apps.catalogue.models import ServiceItem
from apps.workdays.calendar import add_working_days

# A minimal, valid one-page PDF: what a scanned form stands for in the demo.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)


def _submitted(applicant: User, item_code: str, *, company: bool = False) -> Application:
    item = ServiceItem.objects.get(code=item_code)
    company_id = applicant.companies.values_list("id", flat=True).first() if company else None
    draft = services.application_create_draft(
        actor=applicant, item_id=item.pk, company_id=company_id
    )
    fill_draft(draft, applicant)
    return services.application_submit(
        application_id=draft.pk, actor=applicant, idempotency_key=f"demo-{item_code}"
    )


def fill_draft(draft: Application, applicant: User) -> None:
    """The form's sample answers and a scan for every material, as an applicant would."""
    guide = draft.guide
    form = parse_form(guide.application_form)
    if form is not None:
        # 在线填报: the form's sample answers over what was prefilled from the account.
        prefilled = answers_of(draft)
        services.application_save_answers(
            application_id=draft.pk,
            actor=applicant,
            answers={
                **sample_values(form),
                **prefilled,
                **({"declaration": True} if form.get("declaration") else {}),
            },
        )
    for material in guide.materials.all():
        if form is not None and material.name == form.fills_material:
            continue  # filled in online above
        services.application_attach_material(
            application_id=draft.pk,
            actor=applicant,
            guide_material_id=material.pk,
            upload=SimpleUploadedFile(f"{material.name}.pdf", DEMO_PDF, "application/pdf"),
        )


def _correction_requested(applicant: User, window: User, item_code: str) -> Application:
    application = _submitted(applicant, item_code, company=True)
    first_material = application.guide.materials.order_by("order", "id").first()
    services.application_request_correction(
        application_id=application.pk,
        actor=window,
        items=[(first_material.pk, "申请书缺少法定代表人签字，请签字后重新上传。")],
        deadline=add_working_days(datetime.date.today(), 5),
    )
    return application


def _under_review(applicant: User, window: User, item_code: str, **kwargs) -> Application:
    application = _submitted(applicant, item_code, **kwargs)
    services.application_accept(application_id=application.pk, actor=window)
    return services.application_start_review(application_id=application.pk, actor=window)


def _accepted(applicant: User, window: User, item_code: str, **kwargs) -> Application:
    application = _submitted(applicant, item_code, **kwargs)
    return services.application_accept(application_id=application.pk, actor=window)


def _backdated(application: Application, *, overdue: bool) -> Application:
    """Move a case's history back in time until its clock is overdue (or, with
    ``overdue=False``, in the yellow zone but not yet due), so the supervisor's and the
    approver's views have something to show on the day the demo is loaded (A15). The case
    went through the real services; only its times are shifted, the clock recomputed."""
    today = timezone.localdate()
    for days in range(1, 120):
        accepted_at = application.accepted_at - datetime.timedelta(days=days)
        due, yellow = clock_dates(
            accepted_at=accepted_at, time_limit_days=application.time_limit_days
        )
        if (overdue and due < today) or (not overdue and yellow <= today <= due):
            break
    shift = datetime.timedelta(days=days)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=F("submitted_at") - shift,
        materials_received_at=F("materials_received_at") - shift,
        accepted_at=F("accepted_at") - shift,
        due_date=due,
        yellow_on=yellow,
    )
    for model in (TimelineEvent, ApplicationMaterial):
        model.objects.filter(application=application).update(created_at=F("created_at") - shift)
    return application


def _approved(applicant: User, window: User, approver: User, item_code: str) -> Application:
    application = _under_review(applicant, window, item_code, company=True)
    return services.application_approve(
        application_id=application.pk,
        actor=approver,
        result_text="经审查，符合法定条件，准予许可。",
    )


def seed_demo(*, stdout=None) -> None:
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    citizen = User.objects.filter(kind=User.Kind.CITIZEN, full_name="王小明").first()
    agent = User.objects.filter(kind=User.Kind.COMPANY_AGENT, full_name="钱经办").first()
    window_scjg, window_gaj = users.get("window_scjg"), users.get("window_gaj")
    approver = users.get("approver_scjg")
    if not all((citizen, agent, window_scjg, window_gaj, approver)):
        return  # the accounts demo did not run
    if Application.objects.filter(applicant__in=[citizen, agent]).exists():
        if stdout:
            stdout.write("办件：演示办件已存在，未改动。")
        return

    cases: list[Callable[[], Application]] = [
        lambda: _submitted(agent, "350100-SCJGJ-XK-0006", company=True),  # 食品经营许可
        lambda: _correction_requested(agent, window_scjg, "350100-SCJGJ-XK-0003"),  # 企业注销
        lambda: _under_review(agent, window_scjg, "350100-SCJGJ-XK-0007", company=True),
        lambda: _approved(agent, window_scjg, approver, "350100-SCJGJ-XK-0009"),
        lambda: _submitted(citizen, "350100-GAJ-GG-0001"),  # 无犯罪记录证明开具
        lambda: _under_review(citizen, window_gaj, "350100-GAJ-QR-0007"),  # 居住证签发
        # Overdue under review (药品零售企业经营许可), soon due waiting for review (计量标准).
        lambda: _backdated(
            _under_review(agent, window_scjg, "350100-SCJGJ-XK-0008", company=True),
            overdue=True,
        ),
        lambda: _backdated(
            _accepted(agent, window_scjg, "350100-SCJGJ-XK-0010", company=True), overdue=False
        ),
    ]
    with transaction.atomic():
        made = [case() for case in cases]
    # The supervision pass beat runs every 15 minutes: the backdated cases turn red / yellow
    # (and their handlers are told) before anyone logs in.
    supervise_applications()
    if stdout:
        stdout.write(f"办件：{len(made)}件演示办件（待受理、待补正、审查中、超期、临期、已办结）。")
