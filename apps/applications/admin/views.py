"""Views of the staff console (thin: a selector to read, one service to write)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.services import REVEAL_PERMISSION
from apps.applications import console_selectors as cs
from apps.applications import hooks, selectors, services
from apps.applications.admin.actions import (
    BY_NAME,
    DECIDE,
    INTAKE,
    action_context,
    available_actions,
)
from apps.applications.admin.rows import department_rows_html, rows_html
from apps.applications.admin_forms import WalkInCreateForm, WalkInLookupForm
from apps.applications.models import Application
from apps.applications.progress import application_progress
from apps.applications.selectors import (
    Bucket,
    application_timeline_for_staff,
    remaining_working_days,
    supervision_lists,
)
from apps.applications.services.review import max_extension_days
from apps.applications.views.forms import submitted_answers
from apps.catalogue.selectors import guide_get_published
from apps.common.console import console_frame_context
from apps.common.errors import ApplicationError
from apps.common.pagination import CappedPaginator, KeysetError, cursor_after, keyset_page
from apps.common.replica import replica_reads
from apps.workdays.calendar import add_working_days

VIEW = "applications.view_application"
VIEW_ALL = "applications.view_all_applications"
QUEUE_SIZE = 50
# Shown first to staff who decide (the approver's own work), then the window's tabs.
APPROVER_TABS = (
    (cs.TO_DECIDE, "待决定"),
    (cs.TO_REVIEW, "待审查"),
)
TABS = (
    (Bucket.NEW, "新提交"),
    (Bucket.DUE_SOON, "即将到期"),
    (Bucket.OVERDUE, "已超期"),
    (Bucket.CORRECTIONS_RETURNED, "补正已返回"),
    (cs.ALL, "全部"),
)
TEMPLATE = "admin/applications/application/{}.html"


def _report(request: HttpRequest, exc: ApplicationError) -> None:
    """The service's own Chinese message(s); nothing changed."""
    for problem in exc.extra.get("problems") or [exc.message]:
        messages.error(request, problem)


def _context(model_admin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **console_frame_context(model_admin.admin_site, request),
        "opts": model_admin.opts,
        "title": title,
        **console_links(request),
        **extra,
    }


def console_links(request: HttpRequest) -> dict:
    """Links to the console pages this user may open (changelist, index, every page)."""
    user = request.user
    links = {}
    if user.has_perm(VIEW):
        links["queue_url"] = reverse("admin:applications_application_queue")
    if user.has_perm(INTAKE):
        links["window_create_url"] = reverse("admin:applications_application_window_create")
    if user.has_perm(VIEW_ALL):
        links["supervision_url"] = reverse("admin:applications_application_supervision")
    return links


def _detail_url(application_id: int) -> str:
    return reverse("admin:applications_application_change", args=[application_id])


# --- Queues --------------------------------------------------------------------------------


def queue_view(model_admin, request: HttpRequest) -> HttpResponse:
    """办件工作台: the staff member's departments' work, by tab (A4a, A5, A7, A15)."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    visible = (APPROVER_TABS if request.user.has_perm(DECIDE) else ()) + TABS
    tabs = dict(visible)
    tab = request.GET.get("tab") or visible[0][0]
    if tab not in tabs:
        tab = visible[0][0]
    today = timezone.localdate()
    query = (request.GET.get("q") or "").strip()[:100]
    listed = cs.console_queue(user=request.user, tab=tab, today=today, query=query)
    queue = cs.queue_rows(listed)
    cursor = request.GET.get("cursor")
    if cursor:  # past the counted pages: keyset pages, as deep as the list goes
        try:
            applications, next_cursor = keyset_page(queue, cursor=cursor, size=QUEUE_SIZE)
        except KeysetError:
            raise Http404 from None
        page = None
    else:
        paginator = CappedPaginator(queue, QUEUE_SIZE, counted=listed.values("pk"))
        page = paginator.get_page(request.GET.get("page"))
        applications = list(page.object_list)
        next_cursor = (
            cursor_after(queue, applications[-1])
            if applications and page.paginator.capped and not page.has_next()
            else None
        )
    context = _context(
        model_admin,
        request,
        "办件工作台",
        tabs=[{"key": key, "label": label, "active": key == tab} for key, label in visible],
        tab=tab,
        query=query,
        tab_label=tabs[tab],
        page=page,
        next_cursor=next_cursor,
        rows=rows_html(applications, today),
    )
    return TemplateResponse(request, TEMPLATE.format("queue"), context)


# --- The application page ------------------------------------------------------------------


def _initial(action_name: str, application: Application, ctx) -> dict:
    if action_name == "request_correction":
        return {"deadline": add_working_days(timezone.localdate(), 5)}
    if action_name == "request_extension":
        return {"days": max_extension_days(application)}
    if action_name == "decide_extension" and ctx.pending_extension:
        return {"extension_id": ctx.pending_extension.pk}
    return {}


def _id(object_id) -> int:
    try:
        return int(object_id)
    except (TypeError, ValueError):
        raise Http404 from None


def _get(request: HttpRequest, object_id) -> Application:
    return selectors.application_page_for_staff(user=request.user, application_id=_id(object_id))


def detail_view(
    model_admin, request: HttpRequest, object_id, bound: dict | None = None
) -> HttpResponse:
    """The application for staff: applicant, materials, timeline, clock, documents, and one
    form per action the current state allows (A4–A12)."""
    application = _get(request, object_id)
    bound = bound or {}
    ctx = action_context(application)
    panels = hooks.panels_for(hooks.staff_panels, request, application)
    replaced = {name for panel in panels for name in panel.replaces_actions}
    forms = []
    for action in available_actions(user=request.user, application=application, ctx=ctx):
        if action.name in replaced:
            continue
        form = bound.get(action.name) or action.form_class(
            application=application, initial=_initial(action.name, application, ctx)
        )
        forms.append({"action": action, "form": form, "open": action.name in bound})
    applicant = application.applicant
    today = timezone.localdate()
    documents = (
        selectors.application_documents(application=application, for_applicant=False)
        if application.has_documents
        else ()
    )
    timeline = application_timeline_for_staff(application=application)
    context = _context(
        model_admin,
        request,
        f"办件 {application.number}",
        application=application,
        original=application,
        applicant=applicant,
        reveal_url=(
            reverse("admin:accounts_user_reveal", args=[applicant.pk])
            if request.user.has_perm(REVEAL_PERMISSION)
            else ""
        ),
        guide=application.guide,
        materials=[
            {"material": m, "url": reverse("applications:material", args=[application.pk, m.pk])}
            for m in application.materials.all()
        ],
        # Read only where the application's query found rows (usually none).
        tolerated=(
            application.tolerated_materials.select_related("guide_material")
            if application.has_tolerated
            else ()
        ),
        corrections=(
            application.corrections.prefetch_related("items__guide_material")
            if application.has_corrections
            else ()
        ),
        suspensions=application.suspensions.all() if application.has_suspensions else (),
        extensions=application.extensions.all() if application.has_extensions else (),
        pending_extension=ctx.pending_extension,
        documents=[
            {
                "link": d,
                "url": reverse("applications:document", args=[application.pk, d.document_id]),
            }
            for d in documents
        ],
        timeline=timeline,
        progress=application_progress(application, timeline),
        intake=cs.intake_warning(application, today),
        days_left=remaining_working_days(application, today),
        action_forms=forms,
        main_missing=ctx.main_missing,
        answers=submitted_answers(application),
        action_url_name="admin:applications_application_action",
        panels=panels,
    )
    return TemplateResponse(request, TEMPLATE.format("detail"), context)


def action_view(model_admin, request: HttpRequest, object_id: int, name: str) -> HttpResponse:
    """POST one action: exactly one service call, then back to the page (PRG).

    The service decides; a refused action (wrong state, wrong role, another staff member
    acted first — the services lock the row) shows its Chinese message and changes nothing.
    """
    action = BY_NAME.get(name)
    if action is None:
        raise Http404
    application = selectors.application_for_staff_action(
        user=request.user, application_id=_id(object_id)
    )
    form = action.form_class(request.POST, application=application)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{action.label}：{error}")
        return detail_view(model_admin, request, object_id, bound={name: form})
    try:
        done = action.run(application, request.user, form)
    except ApplicationError as exc:
        _report(request, exc)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(_detail_url(application.pk))


# --- Walk-in and assisted applications (A13, C6) --------------------------------------------


def window_create_view(model_admin, request: HttpRequest) -> HttpResponse:
    """窗口代办新建: find the applicant by exact number, pick an item of the staff member's
    departments, upload what was brought; the same idempotency key never makes two."""
    if not request.user.has_perm(INTAKE):
        raise PermissionDenied
    lookup = WalkInLookupForm(request.GET or None, items=cs.items_for_window(user=request.user))
    applicant = guide = create_form = None
    if lookup.is_bound and lookup.is_valid():
        applicant = cs.applicant_find_by_number(number=lookup.cleaned_data["number"])
        guide = guide_get_published(lookup.cleaned_data["item"])
        if applicant is None:
            lookup.add_error(
                "number",
                _("未找到该号码对应的公众用户或法人经办人，请核对号码或请申请人先注册。"),
            )
        elif guide is None:
            lookup.add_error("item", _("该事项暂无已发布的办事指南。"))
        else:
            create_form = WalkInCreateForm(
                request.POST or None, request.FILES or None, applicant=applicant, guide=guide
            )
    if request.method == "POST" and create_form is not None and create_form.is_valid():
        company = create_form.cleaned_data.get("company")
        try:
            application = services.application_window_create(
                actor=request.user,
                applicant_id=applicant.pk,
                item_id=lookup.cleaned_data["item"].pk,
                idempotency_key=create_form.cleaned_data["idempotency_key"],
                company_id=company.pk if company else None,
                channel=lookup.cleaned_data["channel"],
                materials=create_form.uploads(),
            )
        except ApplicationError as exc:
            _report(request, exc)
        else:
            messages.success(
                request,
                _("已代为提交申请 %(number)s，请在本页作出受理决定。")
                % {"number": application.number},
            )
            return HttpResponseRedirect(_detail_url(application.pk))
    context = _context(
        model_admin,
        request,
        "窗口代办新建",
        lookup=lookup,
        applicant=applicant,
        guide=guide,
        create_form=create_form,
    )
    return TemplateResponse(request, TEMPLATE.format("window_create"), context)


# --- Electronic supervision (A15) ----------------------------------------------------------


# Each list shows this many cases a page (issue 16: two lists of 200 rows made 电子监察 the
# most expensive page of the console; nobody reads 400 rows at once).
SUPERVISION_PAGE = 50
SUPERVISION_LISTS = (("overdue", "已超期"), ("due_soon", "即将到期"))


@replica_reads
def supervision_view(model_admin, request: HttpRequest) -> HttpResponse:
    """电子监察: overdue (red) and soon-due (yellow) applications across departments, with
    counts per department; supervisors and system administrators only. Each list shows its
    first ``SUPERVISION_PAGE`` cases with their total from the department figures, and goes
    on by keyset pages of that list alone (``?list=overdue&cursor=…``)."""
    if not request.user.has_perm(VIEW_ALL):
        raise PermissionDenied
    today = timezone.localdate()
    overview = supervision_lists(user=request.user, today=today)
    labels = dict(SUPERVISION_LISTS)
    listed = request.GET.get("list")
    if listed is not None:
        if listed not in labels:
            raise Http404
        cursor = request.GET.get("cursor")
        section = _supervision_section(overview, listed, labels[listed], today, cursor)
        context = _context(model_admin, request, "电子监察", sections=[section], list_page=True)
        return TemplateResponse(request, TEMPLATE.format("supervision"), context)
    figures, as_of = cs.department_figures(user=request.user, overview=overview, today=today)
    sections = [
        {
            **_supervision_section(overview, key, label, today),
            "total": sum(getattr(f, key) for f in figures),
        }
        for key, label in SUPERVISION_LISTS
    ]
    context = _context(
        model_admin,
        request,
        "电子监察",
        departments=department_rows_html(figures),
        figures_as_of=as_of,
        sections=sections,
        page_size=SUPERVISION_PAGE,
    )
    return TemplateResponse(request, TEMPLATE.format("supervision"), context)


def _supervision_section(overview, key: str, label: str, today, cursor=None) -> dict:
    """A page of one of 电子监察's lists: the first, or the one after ``cursor``."""
    try:
        rows, next_cursor = keyset_page(
            cs.queue_rows(overview[key]), cursor=cursor, size=SUPERVISION_PAGE
        )
    except KeysetError:
        raise Http404 from None
    return {"key": key, "label": label, "rows": rows_html(rows, today), "next_cursor": next_cursor}
