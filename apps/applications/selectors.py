"""Reads of applications, scoped by who asks (CONVENTIONS: permission scoping lives here).

* Applicants see their own applications (and their companies'); anything else is a 404.
* Staff see their departments' applications; supervisors and administrators see all.
* Every list is built with ``select_related`` so its query count does not grow with rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ForeignKey,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import department_ids_for
from apps.applications import hooks
from apps.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationMaterial,
    BundleApplication,
    CorrectionRequest,
    Extension,
    Suspension,
    TimelineEvent,
    ToleratedMaterial,
    WarningLevel,
)
from apps.applications.workflow import (
    ACCEPTED_OPEN_STATES,
    CLOCK_RUNNING_STATES,
    CLOCK_RUNNING_VALUES,
    State,
)
from apps.catalogue.models import GuideMaterial, SpecialProcedure
from apps.common.columns import column
from apps.common.compiled import CompiledRead, attach_prefetched
from apps.workdays.calendar import add_working_days, working_days_between

_RUNNING = list(CLOCK_RUNNING_VALUES)
# A15: "due soon" on the supervision pages: within this many working days.
SOON_WORKING_DAYS = 3
_OPEN = [s.value for s in ACCEPTED_OPEN_STATES]


class Bucket:
    NEW = "new"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CORRECTIONS_RETURNED = "corrections_returned"
    ALL = (NEW, DUE_SOON, OVERDUE, CORRECTIONS_RETURNED)


def _list_qs() -> QuerySet[Application]:
    return Application.objects.select_related("item", "department", "guide")


def with_warning_level(qs: QuerySet[Application], today: date | None = None) -> QuerySet:
    """A15: annotate ``level`` (green/yellow/red) from the stored clock dates."""
    today = today or timezone.localdate()
    return qs.annotate(
        level=Case(
            When(Q(state__in=_RUNNING, due_date__lt=today), then=Value(WarningLevel.RED)),
            When(Q(state__in=_RUNNING, yellow_on__lte=today), then=Value(WarningLevel.YELLOW)),
            default=Value(WarningLevel.GREEN),
            output_field=CharField(),
        )
    )


def warning_level(application: Application, today: date | None = None) -> str:
    """A15 for one application: red when overdue, yellow when ≤ ratio of the limit remains."""
    today = today or timezone.localdate()
    if application.state not in CLOCK_RUNNING_STATES or application.due_date is None:
        return WarningLevel.GREEN
    if today > application.due_date:
        return WarningLevel.RED
    if application.yellow_on is not None and today >= application.yellow_on:
        return WarningLevel.YELLOW
    return WarningLevel.GREEN


def remaining_working_days(application: Application, today: date | None = None) -> int | None:
    """Working days left after today (negative when overdue); None without a clock."""
    if application.due_date is None or application.state not in ACCEPTED_OPEN_STATES:
        return None
    return working_days_between(today or timezone.localdate(), application.due_date)


# --- Applicants --------------------------------------------------------------------------


def owned_by(user: User, *, prefix: str = "") -> Q:
    """The one definition of "the applicant's own" (A1): made by them, or by a company they
    act for. ``prefix`` applies it through a relation (``"application__"``).

    The companies are read first (one small query) and given as values: with a subquery
    inside the ``OR``, Postgres can use neither the applicant's nor the company's index and
    scans every application (issue 16: 320 ms at a million rows); with values it ORs the
    two index lookups. Most citizens act for no company: then it is the applicant alone."""
    own = Q(**{f"{prefix}applicant": user})
    company_ids = list(
        User.companies.through.objects.filter(user_id=user.pk).values_list("company_id", flat=True)
    )
    return own | Q(**{f"{prefix}company__in": company_ids}) if company_ids else own


def application_is_owned_by(user: User, application: Application) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if application.applicant_id == user.pk:
        return True
    return bool(
        application.company_id and user.companies.filter(pk=application.company_id).exists()
    )


def application_list_for_applicant(*, user: User) -> QuerySet[Application]:
    if not user.is_authenticated or user.kind == User.Kind.STAFF:
        return Application.objects.none()
    return with_warning_level(_list_qs().filter(owned_by(user))).order_by("-created_at", "-id")


# What a 我的办件 row reads: the wide guide, item and case texts stay in the tables.
_APPLICANT_ROW_FIELDS = (
    "id",
    "number",
    "item__name",
    "item__name_en",
    "company_id",
    "applicant_name",
    "state",
    "submitted_at",
    "due_date",
    "yellow_on",
    "calendar_provisional",
    "decided_at",
    "bundle_application__id",
    "bundle_application__number",
    "bundle_application__completed_at",
    "bundle_application__outcome",
    "bundle_application__result_document_id",
    "bundle_application__bundle__name",
    "bundle_application__bundle__name_en",
)


def application_rows_for_applicant(*, user: User) -> QuerySet[Application]:
    """我的办件's rows: :func:`application_list_for_applicant` with the columns a row shows
    and the 一件事 it belongs to, in one query."""
    return (
        application_list_for_applicant(user=user)
        .select_related(None)
        .select_related("item", "bundle_application__bundle")
        .only(*_APPLICANT_ROW_FIELDS)
    )


# What a row of the API's 我的申请 list reads (``ApplicationOutputSerializer``'s fields).
_API_ROW_FIELDS = (
    "id",
    "number",
    "item__id",
    "item__name",
    "guide__id",
    "guide__version",
    "department__id",
    "department__name",
    "applicant_name",
    "applicant_type",
    "channel",
    "state",
    "outcome",
    "is_immediate",
    "submitted_at",
    "accepted_at",
    "deemed_accepted",
    "intake_due_date",
    "due_date",
    "calendar_provisional",
    "extension_days",
    "decided_at",
    "archived_at",
    "supplement_due_date",
)


def application_api_rows_for_applicant(*, user: User) -> QuerySet[Application]:
    """The API's 我的申请 rows: :func:`application_list_for_applicant` with the columns the
    list shows (issue 16: the case, guide and item texts stay in their tables)."""
    return application_list_for_applicant(user=user).only(*_API_ROW_FIELDS)


def _one_for_applicant(
    user: User,
    application_id: int,
    *,
    related: tuple[str, ...],
    prefetch: tuple,
) -> Application:
    """One of the applicant's own applications (A1: :func:`application_is_owned_by`, the
    row's own check, which reads the companies only for a company's case), with ``level``
    (A15) as the list annotates it, worked out from the row by :func:`warning_level`: the
    list's ``CASE``, ordering and companies read cost more than the read of one row (issue
    16). Someone else's is a 404, and nothing of it is read beyond its row."""
    if not user.is_authenticated or user.kind == User.Kind.STAFF:
        raise Http404
    try:
        application = Application.objects.select_related(*related).get(pk=application_id)
    except Application.DoesNotExist:
        raise Http404 from None
    if not application_is_owned_by(user, application):
        raise Http404
    prefetch_related_objects([application], *prefetch)
    application.level = warning_level(application)  # type: ignore[attr-defined]
    return application


def application_get_for_applicant(*, user: User, application_id: int) -> Application:
    """The applicant's own application; someone else's is a 404 (not a 403)."""
    return _one_for_applicant(
        user,
        application_id,
        related=("item", "department", "guide"),
        prefetch=("materials__guide_material",),
    )


def application_page_for_applicant(*, user: User, application_id: int) -> Application:
    """:func:`application_get_for_applicant` for the applicant's application page, with the
    later apps' ``hooks.applicant_page_flags`` asked in one small query: a panel whose rows
    are usually absent runs no query of its own when its flag is ``False`` (issue 16). So is
    ``has_documents``, as on the staff page: no document until the intake decision. The
    files come with their guide materials in one query (their order joins them anyway)."""
    uploads = ApplicationMaterial.objects.select_related("guide_material")
    application = _one_for_applicant(
        user,
        application_id,
        related=("item", "department", "guide"),
        prefetch=(Prefetch("materials", queryset=uploads),),
    )
    flags: dict[str, type[Model] | hooks.RowsOf] = {
        "has_documents": ApplicationDocument,
        **hooks.applicant_page_flag_models(),
    }
    for name, value in _rows_exist(application, flags).items():
        setattr(application, name, value)
    return application


def application_draft_get_for_applicant(
    *, user: User, application_id: int, for_page: bool = True, materials: bool = True
) -> Application:
    """The applicant's own application for the draft page (C7): its company, its guide's
    materials and, ``for_page``, what the page shows besides (the item, the files given so
    far in the guide's order); a post reads only what it needs to take the files, and
    without ``materials`` (a post that gives none) not the guide's list either."""
    if not for_page:
        return _one_for_applicant(
            user,
            application_id,
            related=("guide", "company"),
            prefetch=("guide__materials",) if materials else (),
        )
    uploads = ApplicationMaterial.objects.select_related("guide_material").order_by(
        "guide_material__order", "id"
    )
    return _one_for_applicant(
        user,
        application_id,
        related=("item", "department", "guide", "company"),
        prefetch=(Prefetch("materials", queryset=uploads), "guide__materials"),
    )


def bundle_application_get_for_applicant(
    *, user: User, bundle_application_id: int
) -> BundleApplication:
    """The applicant's own 一件事 submission (C8); anyone else's is a 404."""
    if not user.is_authenticated or user.kind == User.Kind.STAFF:
        raise Http404
    group = (
        BundleApplication.objects.select_related("bundle", "company", "result_document")
        .filter(owned_by(user))
        .filter(pk=bundle_application_id)
        .first()
    )
    if group is None:
        raise Http404
    return group


# --- Staff -------------------------------------------------------------------------------


def _staff_department_ids(user: User) -> set[int] | None:
    """Departments whose applications the staff member may see; ``None``: all, an empty
    set: none (no permission to view applications, or no department)."""
    if not user.is_authenticated or not user.has_perm("applications.view_application"):
        return set()
    return department_ids_for(user)


def _in_departments(
    qs: QuerySet[Application], ids: Collection[int] | None
) -> QuerySet[Application]:
    if ids is None:
        return qs
    return qs.filter(department_id__in=ids) if ids else qs.none()


def application_scope_for_staff(*, user: User) -> QuerySet[Application]:
    """Every application the staff member may see: their departments', or all."""
    return _in_departments(_list_qs(), _staff_department_ids(user))


def application_get_for_staff(*, user: User, application_id: int) -> Application:
    application = (
        with_warning_level(application_scope_for_staff(user=user))
        .select_related("applicant", "company", "handled_by")
        .prefetch_related("materials__guide_material")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_for_staff_action(*, user: User, application_id: int) -> Application:
    """The application a console action's form is checked against: scoped as the page is,
    its keys alone (issue 16: 受理 read the whole page's rows before its service read and
    locked the row again; then the item, department and guide it never used; then all 36
    columns, for forms that read the guide and department keys at most). The forms that
    offer the guide's choices load the guide when they ask for it; the service reads and
    locks the row itself."""
    try:
        return (
            application_scope_for_staff(user=user)
            .select_related(None)
            .only("pk", "guide_id", "department_id")
            .get(pk=application_id)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def application_page_for_staff(*, user: User, application_id: int) -> Application:
    """:func:`application_get_for_staff` with what the staff application page reads loaded
    together: the guide's materials (the completeness check and the actions both read them),
    the extensions with their people, the answers (issue 16: the page ran 24 queries).

    The sections that are usually empty (文书, 容缺材料, 补正告知, 特别程序, 延期申请, and the later
    apps' panels through ``hooks.staff_page_flags``) are asked about in one small query, as
    ``has_*`` flags: the page reads their rows only where there are some. ``level`` (A15) is
    worked out from the row by :func:`warning_level`, as the list's ``CASE`` would (issue 16:
    compiling the flags' subqueries, the ``CASE`` and the ordering cost the page more CPU
    than Postgres spent running it). The application and the two lists of materials are
    compiled to SQL once per process (:mod:`apps.common.compiled`), scoped as
    :func:`application_scope_for_staff` scopes."""
    ids = _staff_department_ids(user)
    if ids is not None and not ids:
        raise Http404
    found = _STAFF_PAGE.fetch(
        application_id=application_id, department_ids=None if ids is None else sorted(ids)
    )
    if not found:
        raise Http404
    application = found[0]
    attach_prefetched(application, "materials", _STAFF_PAGE_MATERIALS.fetch(ids=[application.pk]))
    guide = application.guide
    attach_prefetched(guide, "materials", _GUIDE_MATERIALS.fetch(ids=[guide.pk]))
    application.level = warning_level(application)  # type: ignore[attr-defined]
    flags: dict[str, type[Model] | hooks.RowsOf] = {
        **_PAGE_SECTIONS,
        **hooks.staff_page_flag_models(),
        "has_special_procedures": hooks.RowsOf(SpecialProcedure, "guide"),
    }
    for name, value in _rows_exist(application, flags).items():
        setattr(application, name, value)
    if application.has_extensions:  # type: ignore[attr-defined]  # with their people
        extensions = Extension.objects.select_related("requested_by", "approved_by")
        prefetch_related_objects([application], Prefetch("extensions", queryset=extensions))
    return application


# The staff page's reads, compiled to SQL once per process (issue 16: compiling the wide
# application row cost the page more CPU than Postgres spent on it): the application in the
# staff member's departments with what the page shows of it, then its materials and its
# guide's, as ``prefetch_related`` would read them.
def _staff_page_query(
    *, application_id: int, department_ids: list[int] | None
) -> QuerySet[Application]:
    return (
        _in_departments(_list_qs(), department_ids)
        .select_related("applicant", "company", "handled_by", "answers")
        .filter(pk=application_id)
        .order_by()
    )


def _materials_query(*, ids: list[int]) -> QuerySet[ApplicationMaterial]:
    return ApplicationMaterial.objects.select_related("guide_material").filter(application__in=ids)


def _guide_materials_query(*, ids: list[int]) -> QuerySet[GuideMaterial]:
    return GuideMaterial.objects.filter(guide__in=ids)


_STAFF_PAGE = CompiledRead(Application, _staff_page_query)
_STAFF_PAGE_MATERIALS = CompiledRead(ApplicationMaterial, _materials_query)
_GUIDE_MATERIALS = CompiledRead(GuideMaterial, _guide_materials_query)


# The staff page's own usually-empty sections: rows of these models for the application
# (文书: none until the intake decision).
_PAGE_SECTIONS: dict[str, type[Model]] = {
    "has_documents": ApplicationDocument,
    "has_tolerated": ToleratedMaterial,
    "has_corrections": CorrectionRequest,
    "has_extensions": Extension,
    "has_suspensions": Suspension,
}


def _key_column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, ForeignKey):
        raise TypeError(f"{model.__name__}.{name} is not a foreign key")
    return field.column


def _rows_exist(
    application: Application, flags: Mapping[str, type[Model] | hooks.RowsOf]
) -> dict[str, bool]:
    """``{name: whether there is a row}`` for each of ``flags``: a model with an
    ``application`` foreign key (a row for the application), or a :class:`hooks.RowsOf` (a
    row whose foreign key ``key`` is the application's own ``key`` and whose fields are
    ``where``, e.g. its guide's special procedures): ``EXISTS`` look-ups by index, in one
    query. (Issue 16: an ``Exists`` expression per flag in the application's own query cost
    more CPU to compile than this whole query.)"""
    if not flags:
        return {}
    database = connections[application._state.db or "default"]  # where the row was read
    quote = database.ops.quote_name
    checks, values = [], []
    for flag in flags.values():
        if isinstance(flag, hooks.RowsOf):
            model = flag.model
            conditions = [(_key_column(model, flag.key), getattr(application, f"{flag.key}_id"))]
            conditions += [(column(model, name), value) for name, value in flag.where]
        else:
            model = flag
            conditions = [(_key_column(model, "application"), application.pk)]
        # Quoted identifiers from the models' metadata only; the values are parameters.
        where = " AND ".join(f"{quote(name)} = %s" for name, _ in conditions)
        checks.append(f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} WHERE {where})")  # noqa: S608
        values += [value for _, value in conditions]
    with database.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(checks), values)
        row = cursor.fetchone()
    return dict(zip(flags, row, strict=True))


def application_queue_for_staff(
    *, user: User, bucket: str = Bucket.NEW, today: date | None = None
) -> QuerySet[Application]:
    """A work queue of the staff member's departments (index: department, state, due_date).

    * ``new``: submitted and waiting for an intake decision, oldest intake deadline first;
    * ``due_soon``: clock running and in the yellow zone, earliest due first;
    * ``overdue``: clock running and past due (A15 red);
    * ``corrections_returned``: resubmitted after a correction notice (A5).
    """
    today = today or timezone.localdate()
    qs = with_warning_level(application_scope_for_staff(user=user), today)
    if bucket == Bucket.NEW:
        return qs.filter(state=State.SUBMITTED).order_by("intake_due_date", "id")
    if bucket == Bucket.DUE_SOON:
        return qs.filter(state__in=_RUNNING, yellow_on__lte=today, due_date__gte=today).order_by(
            "due_date", "id"
        )
    if bucket == Bucket.OVERDUE:
        return qs.filter(state__in=_RUNNING, due_date__lt=today).order_by("due_date", "id")
    if bucket == Bucket.CORRECTIONS_RETURNED:
        answered = CorrectionRequest.objects.filter(
            application=OuterRef("pk"), answered_at__isnull=False
        )
        return qs.filter(Exists(answered), state=State.SUBMITTED).order_by("intake_due_date", "id")
    raise ValueError(f"unknown bucket {bucket!r}; expected one of {Bucket.ALL}")


def supervision_overview(
    *, user: User, today: date | None = None, soon_days: int = SOON_WORKING_DAYS
) -> dict[str, QuerySet[Application]]:
    """For supervisors: overdue and soon-due applications across departments (A15, S3),
    with their warning level annotated (``level``)."""
    today = today or timezone.localdate()
    return _supervision_ranges(user, with_warning_level(_list_qs(), today), today, soon_days)


def supervision_lists(
    *, user: User, today: date | None = None, soon_days: int = SOON_WORKING_DAYS
) -> dict[str, QuerySet[Application]]:
    """:func:`supervision_overview`'s lists without the level annotated, for lists that work
    it out per row (电子监察's; issue 16: the annotation's expression costs a fifth of a
    millisecond per page to build, and its rows never select it)."""
    return _supervision_ranges(user, _list_qs(), today or timezone.localdate(), soon_days)


def _supervision_ranges(
    user: User, qs: QuerySet[Application], today: date, soon_days: int
) -> dict[str, QuerySet[Application]]:
    if not user.has_perm("applications.view_all_applications"):
        return {"overdue": Application.objects.none(), "due_soon": Application.objects.none()}
    horizon = add_working_days(today, soon_days)
    qs = qs.filter(state__in=_RUNNING)
    return {
        "overdue": qs.filter(due_date__lt=today).order_by("due_date", "id"),
        "due_soon": qs.filter(due_date__gte=today, due_date__lte=horizon).order_by(
            "due_date", "id"
        ),
    }


def is_staff_reader(user: User) -> bool:
    return user.kind == User.Kind.STAFF or user.is_superuser


def application_get_visible(*, user: User, application_id: int) -> Application:
    """The application as its reader may see it: staff through their departments, the
    applicant as their own; anyone else a 404. Shared by downloads, the API and the web."""
    if is_staff_reader(user):
        return application_get_for_staff(user=user, application_id=application_id)
    return application_get_for_applicant(user=user, application_id=application_id)


def result_withheld(application: Application, kind: str) -> str | None:
    """Why a document of ``kind`` is not released to the applicant yet (a result held back
    by a later app's guard, e.g. until tolerated materials are supplied), or ``None``."""
    if kind not in hooks.RESULT_DOCUMENT_KINDS:
        return None
    return hooks.result_withheld_reason(application)


def application_documents(*, application: Application, for_applicant: bool) -> list:
    """The documents of a case, oldest first, each with ``withheld``: the reason a result is
    not released to the applicant yet (``""`` when it is, or for staff, who always see it)."""
    if for_applicant:
        links = list(application.documents.select_related("document").order_by("created_at", "id"))
    else:  # the staff application page, on every load of an accepted case (issue 16)
        links = _STAFF_PAGE_DOCUMENTS.fetch(application_id=application.pk)
        for link in links:
            link.application = application  # as the related manager's rows know it
    # The guards are asked only when there is a result to hold back (most of a case's life
    # there is none, and a guard reads its own rows).
    has_result = any(link.kind in hooks.RESULT_DOCUMENT_KINDS for link in links)
    reason = hooks.result_withheld_reason(application) if for_applicant and has_result else None
    for link in links:
        withheld = (reason or "") if link.kind in hooks.RESULT_DOCUMENT_KINDS else ""
        link.withheld = withheld  # type: ignore[attr-defined]  # display attribute for pages
    return links


# --- Timeline and materials ---------------------------------------------------------------


def application_timeline(
    *, application: Application, for_applicant: bool
) -> QuerySet[TimelineEvent]:
    """A10: the steps so far, oldest first; applicants see the events meant for them."""
    qs = TimelineEvent.objects.filter(application=application).select_related("actor")
    if for_applicant:
        qs = qs.filter(visible_to_applicant=True)
    return qs.order_by("created_at", "id")


def application_timeline_for_staff(*, application: Application) -> list[TimelineEvent]:
    """:func:`application_timeline` for staff, compiled once per process: the staff
    application page reads it on every load (issue 16)."""
    return _STAFF_PAGE_TIMELINE.fetch(application_id=application.pk)


def _staff_documents_query(*, application_id: int) -> QuerySet[ApplicationDocument]:
    return (
        ApplicationDocument.objects.filter(application_id=application_id)
        .select_related("document")
        .order_by("created_at", "id")
    )


def _staff_timeline_query(*, application_id: int) -> QuerySet[TimelineEvent]:
    return application_timeline(application=application_id, for_applicant=False)  # type: ignore[arg-type]


_STAFF_PAGE_DOCUMENTS = CompiledRead(ApplicationDocument, _staff_documents_query)
_STAFF_PAGE_TIMELINE = CompiledRead(TimelineEvent, _staff_timeline_query)


def reusable_materials_for(*, user: User) -> QuerySet[ApplicationMaterial]:
    """A3: materials the applicant already submitted electronically, newest first."""
    return (
        ApplicationMaterial.objects.filter(
            application__in=Application.objects.filter(owned_by(user))
        )
        .exclude(application__state=State.DRAFT)
        .filter(reused_from__isnull=True)
        .exclude(file="")
        .select_related("guide_material", "application")
        .order_by("-created_at")
    )


def application_counts_by_item(since: datetime) -> dict[int, int]:
    """Applications submitted since ``since``, per item (one grouped query): the demand
    figure the catalogue's search ranks by (registered in ``ApplicationsConfig.ready``)."""
    rows = (
        Application.objects.filter(submitted_at__gte=since)
        .order_by()
        .values_list("item_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)
