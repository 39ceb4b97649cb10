"""Views of the hotline console in the admin (thin: a selector to read, services to write).

* ``intake/`` — the operator's keyboard-first screen (H4, H5), with the caller's earlier
  tickets (``caller-history/``) and knowledge-base suggestions (``kb-suggest/``) as JSON;
* ``queue/?tab=…`` — the centre's and the departments' work lists, 督办 included;
* ``<id>/change/`` — the ticket page with one form per allowed action;
* ``analysis/?month=YYYY-MM[&format=csv|xlsx]`` — the monthly report (H6).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.common.errors import ApplicationError
from apps.hotline import analysis, hooks, selectors, services
from apps.hotline.admin import exports
from apps.hotline.admin.actions import BY_NAME, available_actions
from apps.hotline.admin.forms import IntakeForm
from apps.hotline.kb_search import search_articles
from apps.hotline.models import Ticket
from apps.hotline.services import TicketInput
from apps.hotline.workflow import TicketState

TEMPLATE = "admin/hotline/ticket/{}.html"
CENTRE = "hotline.take_call"
ANALYSIS = "hotline.view_hotline_analysis"
QUEUE_SIZE = 50
CENTRE_TABS = (
    ("pending", _("待派单")),
    ("returned", _("退单待审核")),
    ("replied", _("答复待审核")),
    ("callback", _("待回访")),
    ("escalated", _("督办中")),
    ("overdue", _("已超期")),
    ("all", _("全部")),
)
DEPARTMENT_TABS = (
    ("todo", _("待签收")),
    ("in_progress", _("办理中")),
    ("overdue", _("已超期")),
    ("all", _("全部")),
)


def _context(model_admin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        **console_links(request),
        **extra,
    }


def console_links(request: HttpRequest) -> dict:
    user = request.user
    links = {}
    if user.has_perm("hotline.view_ticket"):
        links["hotline_queue_url"] = reverse("admin:hotline_ticket_queue")
    if user.has_perm(CENTRE):
        links["hotline_intake_url"] = reverse("admin:hotline_ticket_intake")
    if user.has_perm(ANALYSIS):
        links["hotline_analysis_url"] = reverse("admin:hotline_ticket_analysis")
    return links


def _clean_param(request: HttpRequest, name: str, limit: int = 100) -> str:
    value = request.GET.get(name, "")
    if "\x00" in value or len(value) > limit:
        raise ValueError(name)
    return value


def _bad_request(field: str) -> JsonResponse:
    """The console's JSON helpers answer bad input in the API's error shape."""
    return JsonResponse(
        {
            "error": {
                "code": "invalid",
                "message": _("参数无效。"),
                "fields": {field: [_("参数无效。")]},
            }
        },
        status=400,
    )


def _detail_url(ticket_id: int) -> str:
    return reverse("admin:hotline_ticket_change", args=[ticket_id])


# --- Intake --------------------------------------------------------------------------------


def _input(form: IntakeForm) -> TicketInput:
    d = form.cleaned_data
    return TicketInput(
        ticket_type=d["ticket_type"],
        category_id=d["category"].pk,
        content=d["content"],
        caller_phone=d["caller_phone"],
        caller_name=d.get("caller_name") or "",
        is_anonymous=bool(d.get("is_anonymous")),
        urgency=d["urgency"],
        address=d.get("address") or "",
        district=d.get("district") or "",
        latitude=d.get("latitude"),
        longitude=d.get("longitude"),
    )


def _follow_up(request: HttpRequest, ticket: Ticket, form: IntakeForm, step: str) -> str:
    """The second step the operator chose; the ticket exists whatever happens here."""
    d = form.cleaned_data
    if step == "answer":
        services.ticket_answer_on_spot(
            ticket_id=ticket.pk, actor=request.user, article_id=d.get("article") or 0
        )
        return _("已依据知识库当场解答并办结。")
    if step == "transfer":
        services.ticket_transfer(
            ticket_id=ticket.pk, actor=request.user, target=d.get("transfer_target") or ""
        )
        return _("已一键转接。")
    if step == "dispatch":
        services.ticket_dispatch(ticket_id=ticket.pk, actor=request.user)
        return _("已派单至承办部门。")
    return _("已登记。")


def intake_view(model_admin, request: HttpRequest) -> HttpResponse:
    """The operator's screen: phone first, earlier tickets at once, KB as they type."""
    if not request.user.has_perm(CENTRE):
        raise PermissionDenied
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = request.POST.get("step", "save")
        try:
            ticket = services.ticket_take_call(actor=request.user, data=_input(form))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            try:
                done = _follow_up(request, ticket, form, step)
            except ApplicationError as exc:
                messages.warning(
                    request,
                    _("工单 %(number)s 已登记，但%(problem)s")
                    % {"number": ticket.number, "problem": exc.message},
                )
            else:
                messages.success(
                    request, _("工单 %(number)s %(done)s") % {"number": ticket.number, "done": done}
                )
            if "stay" in request.POST:
                return HttpResponseRedirect(reverse("admin:hotline_ticket_intake"))
            return HttpResponseRedirect(_detail_url(ticket.pk))
    context = _context(
        model_admin,
        request,
        _("来电受理"),
        form=form,
        history_url=reverse("admin:hotline_ticket_caller_history"),
        suggest_url=reverse("admin:hotline_ticket_kb_suggest"),
        panels=hooks.intake_panels_for(request),
    )
    return TemplateResponse(request, TEMPLATE.format("intake"), context)


def caller_history_view(model_admin, request: HttpRequest) -> HttpResponse:
    """JSON: the caller's earlier tickets (a constant number of queries, H4)."""
    if not request.user.has_perm(CENTRE):
        raise PermissionDenied
    try:
        phone = _clean_param(request, "phone", 20)
    except ValueError:
        return _bad_request("phone")
    tickets = selectors.caller_history(user=request.user, phone=phone)
    return JsonResponse(
        {
            "tickets": [
                {
                    "number": t.number,
                    "created_at": timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M"),
                    "type": t.get_ticket_type_display(),
                    "category": t.category.name,
                    "state": t.get_state_display(),
                    "department": t.department.name if t.department_id else "",
                    "title": t.title,
                    "url": _detail_url(t.pk),
                }
                for t in tickets
            ]
        }
    )


def kb_suggest_view(model_admin, request: HttpRequest) -> HttpResponse:
    """JSON: current knowledge-base articles for what the operator is typing (H2)."""
    if not request.user.has_perm(CENTRE):
        raise PermissionDenied
    try:
        query = _clean_param(request, "q", 200)
        category = int(_clean_param(request, "category", 12) or 0)
    except ValueError:
        return _bad_request("q")
    articles = search_articles(query, today=timezone.localdate(), category_id=category or None)[:5]
    return JsonResponse(
        {
            "articles": [
                {
                    "id": a.pk,
                    "title": a.title,
                    "body": a.body,
                    "department": a.department.name,
                    "category": a.category.name if a.category_id else "",
                }
                for a in articles
            ]
        }
    )


# --- Queues and the ticket page --------------------------------------------------------------


def queue_view(model_admin, request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("hotline.view_ticket"):
        raise PermissionDenied
    centre = selectors.is_centre(request.user)
    tabs = CENTRE_TABS if centre else DEPARTMENT_TABS
    tab = request.GET.get("tab") or tabs[0][0]
    if tab not in dict(tabs):
        tab = tabs[0][0]
    queue = selectors.department_queue(user=request.user, tab=tab)
    page = Paginator(queue, QUEUE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "ticket": t,
            "url": _detail_url(t.pk),
            "caller": selectors.caller_for(t, request.user),
            "overdue": t.reply_due_at is not None
            and t.state in (TicketState.DISPATCHED, TicketState.IN_PROGRESS)
            and t.reply_due_at < timezone.now(),
        }
        for t in page.object_list
    ]
    context = _context(
        model_admin,
        request,
        _("12345工单"),
        tabs=[{"key": k, "label": v, "active": k == tab} for k, v in tabs],
        tab=tab,
        tab_label=dict(tabs)[tab],
        page=page,
        rows=rows,
    )
    return TemplateResponse(request, TEMPLATE.format("queue"), context)


def detail_view(model_admin, request: HttpRequest, object_id, bound: dict | None = None):
    ticket = selectors.ticket_get_for_staff(user=request.user, ticket_id=object_id)
    bound = bound or {}
    forms = [
        {
            "action": action,
            "form": bound.get(action.name) or action.form_class(ticket=ticket),
            "open": action.name in bound,
        }
        for action in available_actions(user=request.user, ticket=ticket)
    ]
    context = _context(
        model_admin,
        request,
        _("工单 %(number)s") % {"number": ticket.number},
        ticket=ticket,
        original=ticket,
        caller=selectors.caller_for(ticket, request.user, full=True),
        co_handlers=ticket.co_handlers.select_related("department"),
        extensions=ticket.extensions.select_related("requested_by", "decided_by"),
        timeline=selectors.ticket_timeline(ticket=ticket, for_caller=False),
        merged=ticket.merged_tickets.all() if selectors.is_centre(request.user) else [],
        action_forms=forms,
    )
    return TemplateResponse(request, TEMPLATE.format("detail"), context)


def action_view(model_admin, request: HttpRequest, object_id, name: str) -> HttpResponse:
    """POST one action: exactly one service call, then back to the page (PRG)."""
    action = BY_NAME.get(name)
    if action is None:
        raise Http404
    ticket = selectors.ticket_get_for_staff(user=request.user, ticket_id=object_id)
    form = action.form_class(request.POST, ticket=ticket)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{action.label}：{error}")
        return detail_view(model_admin, request, object_id, bound={name: form})
    try:
        done = action.run(ticket, request.user, form)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(_detail_url(ticket.pk))


# --- The monthly analysis (H6) -----------------------------------------------------------------


def _month_param(request: HttpRequest) -> datetime.date:
    raw = request.GET.get("month", "")
    try:
        return datetime.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        return analysis.previous_month(timezone.localdate())


def analysis_view(model_admin, request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(ANALYSIS):
        raise PermissionDenied
    month = _month_param(request)
    report = analysis.monthly_report(month)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return exports.report_csv(report)
    if fmt == "xlsx":
        return exports.report_xlsx(report)
    context = _context(
        model_admin,
        request,
        _("12345热线月度分析（%(month)s）") % {"month": report.month},
        report=report,
        month=report.month,
        json_url=reverse("api-hotline-analysis") + f"?month={report.month}",
    )
    return TemplateResponse(request, TEMPLATE.format("analysis"), context)
