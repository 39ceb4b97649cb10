"""Named extension points of the applications app (CONVENTIONS: hooks, not signals).

The apps above this one (tolerance, pledges, reviews, halls …) must sometimes take part in
what happens to a case: the tolerance app knows whether a result may be released yet, the
reviews app invites a rating when a case ends. They register plain callables into the lists
below from their ``AppConfig.ready()``; the services and views of this app call them
explicitly, where a reader of the service sees the call. ``registered()`` lists what is in
place (tests assert on it).

Rules for what is registered:

* ``result_release_guards``: ``guard(application) -> str | None``. Return ``None`` when the
  result (decision, licence) may be released to the applicant, or a short Chinese sentence
  saying why it is withheld ("结果待容缺材料补齐后发放"). Read-only; called by views and
  selectors, never inside a lock.
* ``case_closed_listeners``: ``listener(application, actor) -> None``. Called once by
  :func:`apps.applications.services.closing.close_case`, inside the transaction that ends the
  case, after the state and the documents are written. May write the listener's own rows
  and queue notifications (``notify`` defers delivery until commit); must not do slow work.
* ``tolerant_acceptance_listeners``: ``listener(application, tolerated, actor) -> None``.
  Called once by :func:`apps.applications.services.intake.application_accept_tolerant`,
  inside its transaction, after the ``ToleratedMaterial`` rows (``tolerated``) are written.
  May write the listener's own rows or refuse the acceptance by raising
  ``ApplicationError`` (which rolls it back); must not do slow work.
* ``applicant_panels`` / ``staff_panels``: ``provider(request, application) -> Panel | None``.
  Extra sections of the applicant's detail page and the staff application page (a template
  and its context), in registration order. Read-only; a constant number of queries each.
  A staff panel that offers a step of the console's own action forms in its own way names
  that action in ``Panel.replaces_actions``; the page then shows the panel's form only.
* ``staff_page_flags``: ``provider() -> {name: model}``. Yes/no facts the staff
  application page reads with the application: whether ``model`` (the provider's own, with
  an ``application`` foreign key) has a row for the application, named after the provider's
  app (``halls_has_assistance``). The page asks every flag in one small query. A staff
  panel whose rows are usually absent reads its flag with :func:`page_flag` and runs no
  query when it is ``False`` (issue 16: one query per empty panel was a third of the
  page's reads; an ``Exists`` expression per flag in the application's query cost more
  CPU to compile than the page's whole template).
* ``applicant_page_flags``: ``provider() -> {name: model | RowsOf}``. The same for the
  applicant's page (:func:`apps.applications.selectors.application_page_for_applicant`): the
  facts its applicant panels read with :func:`page_flag` (issue 16: three panels ran a query
  each to find nothing on most cases). A flag may be wider than its panel's own filter (any
  row of the model): ``True`` only means "look". A :class:`RowsOf` flag asks about rows
  reached through another of the application's keys instead (its guide's materials of one
  kind: the tolerance panel reads the guide's materials only where some are tolerable).
* ``material_added_listeners``: ``listener(material) -> None``. Called by the services that
  add a material to an application (an upload, a reuse of an earlier file or an
  e-licence), inside their transaction, after the row is written: the assistant pre-checks
  the file after commit (Q2). Must not do slow work itself.
* ``review_panels``: ``provider(request, application) -> Panel | None``. Extra sections of
  the 核对并提交 page before the applicant submits (the pre-check's findings). Read-only; a
  constant number of queries each.
* ``intake_departments``: ``provider(actor) -> set of department ids``. Departments beyond
  their own for whose items ``actor`` may take in an application at a window (A11: staff on
  duty at a comprehensive window take in every item of the hall, 一窗受理). Intake only:
  every later step stays with the owning department. Read-only; a few queries.
* ``material_waivers``: ``provider(application) -> {guide_material_id: why}``. Materials the
  guide lists that this applicant is never asked for (a certificate replaced by a signed
  告知承诺, P6): completeness, the draft's upload slots and acceptance skip them. Read-only;
  no query unless the guide could waive something.
* ``apply_page_panels``: ``provider(request, guide) -> Panel | None``. Sections of the page
  that starts an application (the pledge route offered or the reason it is not). Read-only;
  a constant number of queries each.
* ``applicant_list_actions``: ``provider(request, applications) -> {application_id: Action}``.
  Extra links in the 操作 column of 我的办件 (e.g. 去评价), for a whole page of applications
  at once. Read-only; a constant number of queries per page, whatever its length.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from apps.accounts.models import User
from apps.applications.models import Application, ApplicationMaterial, ToleratedMaterial
from apps.catalogue.models import ServiceGuide
from apps.documents.models import DocumentKind

# The documents that carry the result itself: what a release guard holds back (T1).
RESULT_DOCUMENT_KINDS = frozenset({DocumentKind.APPROVAL_DECISION, DocumentKind.LICENCE})


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Names of the staff console's actions (apps/applications/admin/actions.py) this panel
    # does in its own way, so the page does not offer the step twice (容缺受理 with the
    # pledge on record, T1).
    replaces_actions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Action:
    label: str
    url: str


@dataclass(frozen=True)
class RowsOf:
    """A page flag on rows keyed by another of the application's foreign keys: whether
    ``model`` has a row whose foreign key ``key`` is the application's own ``key`` (e.g. its
    guide) and whose fields equal ``where`` (``(field, value)`` pairs)."""

    model: type[Model]
    key: str
    where: tuple[tuple[str, str], ...] = ()


ResultReleaseGuard = Callable[[Application], str | None]
CaseClosedListener = Callable[[Application, User | None], None]
TolerantAcceptanceListener = Callable[[Application, list[ToleratedMaterial], User], None]
PanelProvider = Callable[[HttpRequest, Application], Panel | None]
PageFlagsProvider = Callable[[], Mapping[str, type[Model] | RowsOf]]
ListActionProvider = Callable[[HttpRequest, Sequence[Application]], dict[int, Action]]
MaterialAddedListener = Callable[[ApplicationMaterial], None]
IntakeDepartmentsProvider = Callable[[User], set[int]]
MaterialWaiver = Callable[[Application], Mapping[int, str]]
ApplyPanelProvider = Callable[[HttpRequest, ServiceGuide], Panel | None]

result_release_guards: list[ResultReleaseGuard] = []
case_closed_listeners: list[CaseClosedListener] = []
tolerant_acceptance_listeners: list[TolerantAcceptanceListener] = []
applicant_panels: list[PanelProvider] = []
staff_panels: list[PanelProvider] = []
staff_page_flags: list[PageFlagsProvider] = []
applicant_page_flags: list[PageFlagsProvider] = []
applicant_list_actions: list[ListActionProvider] = []
material_added_listeners: list[MaterialAddedListener] = []
review_panels: list[PanelProvider] = []
intake_departments: list[IntakeDepartmentsProvider] = []
material_waivers: list[MaterialWaiver] = []
apply_page_panels: list[ApplyPanelProvider] = []


def register(hook: list, function: Callable) -> None:
    """Add ``function`` to ``hook`` once (``ready()`` may run more than once in tests)."""
    if function not in hook:
        hook.append(function)


def result_withheld_reason(application: Application) -> str | None:
    """Why the result of ``application`` may not be released yet, or ``None``."""
    for guard in result_release_guards:
        reason = guard(application)
        if reason:
            return reason
    return None


def panels_for(
    providers: list[PanelProvider], request: HttpRequest, application: Application
) -> list[Panel]:
    return [p for p in (provider(request, application) for provider in providers) if p]


def staff_page_flag_models() -> dict[str, type[Model] | RowsOf]:
    """Every provider's flags: ``{name: model}``, asked by the staff application page."""
    flags: dict[str, type[Model] | RowsOf] = {}
    for provider in staff_page_flags:
        flags.update(provider())
    return flags


def applicant_page_flag_models() -> dict[str, type[Model] | RowsOf]:
    """Every provider's flags: ``{name: model | RowsOf}``, asked by the applicant's
    application page."""
    flags: dict[str, type[Model] | RowsOf] = {}
    for provider in applicant_page_flags:
        flags.update(provider())
    return flags


def page_flag(application: Application, name: str) -> bool:
    """The flag ``name`` read with ``application``; ``True`` (so: look) when the page that
    loaded it did not ask for it (another page, a test's bare row)."""
    return getattr(application, name, True)


def waived_materials(application: Application) -> dict[int, str]:
    """Every provider's waived materials of ``application``: ``{guide_material_id: why}``."""
    waived: dict[int, str] = {}
    for provider in material_waivers:
        waived.update(provider(application))
    return waived


def apply_panels_for(request: HttpRequest, guide: ServiceGuide) -> list[Panel]:
    return [p for p in (provider(request, guide) for provider in apply_page_panels) if p]


def list_actions_for(
    request: HttpRequest, applications: Sequence[Application]
) -> dict[int, list[Action]]:
    """Every provider's extra links, by application id (one call per provider per page)."""
    actions: dict[int, list[Action]] = {}
    for provider in applicant_list_actions:
        for application_id, action in provider(request, applications).items():
            actions.setdefault(application_id, []).append(action)
    return actions


def material_added(material: ApplicationMaterial) -> None:
    for listener in material_added_listeners:
        listener(material)


def may_take_in_for(actor: User, department_id: int) -> bool:
    """Whether a provider lets ``actor`` take in applications for ``department_id`` (A11)."""
    return any(department_id in provider(actor) for provider in intake_departments)


def registered() -> dict[str, list[str]]:
    """What each hook holds, by qualified name."""
    hooks = {
        "result_release_guards": result_release_guards,
        "case_closed_listeners": case_closed_listeners,
        "tolerant_acceptance_listeners": tolerant_acceptance_listeners,
        "applicant_panels": applicant_panels,
        "staff_panels": staff_panels,
        "staff_page_flags": staff_page_flags,
        "applicant_page_flags": applicant_page_flags,
        "applicant_list_actions": applicant_list_actions,
        "material_added_listeners": material_added_listeners,
        "review_panels": review_panels,
        "intake_departments": intake_departments,
        "material_waivers": material_waivers,
        "apply_page_panels": apply_page_panels,
    }
    return {
        name: [f"{f.__module__}.{f.__qualname__}" for f in functions]
        for name, functions in hooks.items()
    }
