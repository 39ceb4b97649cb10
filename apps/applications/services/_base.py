"""What every application service shares: the row lock, the edge check, permission checks,
the timeline row and telling the applicant.

Not public: import the services from :mod:`apps.applications.services`.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cache, partial
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role, group_name
from apps.accounts.selectors import department_ids_for
from apps.applications.models import Application, BundleApplication, TimelineEvent
from apps.applications.selectors import application_is_owned_by
from apps.applications.workflow import ALLOWED_TRANSITIONS, FINISHED_STATES, State
from apps.common.columns import column
from apps.common.compiled import CompiledRead
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.notifications.services import notify

NOTIFICATION_CATEGORY = "application"


class ApplicationNotFoundError(ApplicationError):
    """Raised to applicants for someone else's application: its existence is not revealed."""

    status_code = 404

    def __init__(self) -> None:
        super().__init__(_("办件不存在。"), code="not_found")


class NotFoundError(ApplicationError):
    """Something the caller asked for by id does not exist (or is not theirs to see)."""

    status_code = 404


def today():
    return timezone.localdate()


# --- Locking and the edge check ---------------------------------------------------------


def lock_application(application_id: int, *, with_applicant: bool = True) -> Application:
    """The application row, locked until the end of the caller's transaction.

    A member of a 一件事 is locked after its bundle row: the stage pass
    (:func:`.bundle_release.bundle_stages_advance`) holds the bundle row while it locks the
    waiting members, so a service that locked a member first and then the bundle (every
    ending does, to move the stages on and complete the bundle) could deadlock with it
    (C8). One order for every path: bundle, then member.

    The guide, item and department are read with it (not locked), and the applicant unless
    the service has no use for that row (``with_applicant=False``; :func:`tell_applicant`
    needs the id only). The row's values as read are kept with it, so :func:`save` writes
    only the columns the service changed."""
    _lock_bundle_of(application_id)
    read = _LOCK_WITH_APPLICANT if with_applicant else _LOCK
    found = read.fetch(application_id=application_id)
    if not found:
        raise ApplicationNotFoundError()
    application = found[0]
    _remember_values(application)
    return application


def _locked_row(*, application_id: int, with_applicant: bool) -> QuerySet[Application]:
    related = ("guide", "item", "department", *(("applicant",) if with_applicant else ()))
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related(*related)
        .filter(pk=application_id)
    )


# Every transition locks its row with the same wide read: compiled to SQL once per process
# (issue 16: compiling it cost more CPU than Postgres spent running it).
_LOCK = CompiledRead(Application, partial(_locked_row, with_applicant=False))
_LOCK_WITH_APPLICANT = CompiledRead(Application, partial(_locked_row, with_applicant=True))


@cache
def _lock_bundle_sql(alias: str) -> str:
    """The bundle lock's statement for the database ``alias``, written once per process."""
    database = connections[alias]
    quote = database.ops.quote_name
    bundle_id = quote(column(BundleApplication, "id"))
    member_id = quote(column(Application, "id"))
    member_bundle = quote(column(Application, "bundle_application"))
    # SQLite (make run's embedded default) has no row locks: as select_for_update() there.
    lock = " FOR UPDATE" if database.features.has_select_for_update else ""
    # Only quoted identifiers are formatted in; the id is a parameter.
    return (
        f"SELECT {bundle_id} FROM {quote(BundleApplication._meta.db_table)} "  # noqa: S608
        f"WHERE {bundle_id} = (SELECT {member_bundle} FROM {quote(Application._meta.db_table)} "
        f"WHERE {member_id} = %s){lock}"
    )


def _lock_bundle_of(application_id: int) -> None:
    """Lock the row of the 一件事 ``application_id`` belongs to, if any (its membership never
    changes, so reading it unlocked is safe).

    One plain statement, written once per database, where the ORM's ``select_for_update``
    would go (the database a write goes to): every transition runs it first, and compiling
    the ORM's subquery cost nine times the CPU of running this (issue 16)."""
    alias = router.db_for_write(BundleApplication)
    with connections[alias].cursor() as cursor:
        cursor.execute(_lock_bundle_sql(alias), [application_id])
        cursor.fetchall()


def check_edge(application: Application, target: State, action: str) -> None:
    source = State(application.state)
    if target not in ALLOWED_TRANSITIONS[source]:
        raise InvalidTransitionError(
            _("办件当前状态为“%(state)s”，不能%(action)s。")
            % {"state": source.label, "action": action},
            extra={"state": source.value},
        )


def require_state(application: Application, states: frozenset | set, action: str) -> None:
    """For actions whose target state is reachable from several sources (resume, resubmit):
    the source must be one of ``states``."""
    if application.state not in states:
        source = State(application.state)
        raise InvalidTransitionError(
            _("办件当前状态为“%(state)s”，不能%(action)s。")
            % {"state": source.label, "action": action},
            extra={"state": source.value},
        )


def transition(
    application: Application,
    target: State,
    *,
    actor: User | None,
    action: str,
    reason: str = "",
    kind: str = TimelineEvent.Kind.TRANSITION,
    payload: dict[str, Any] | None = None,
    write_event: bool = True,
) -> TimelineEvent:
    """Check the edge, set the state, save (with history) and write the timeline row.

    With ``write_event=False`` the row is returned unsaved: the caller writes it with the
    change's other timeline rows in one statement before its transaction ends (the receipt's,
    :func:`apps.applications.receipts.issue` ``events=``)."""
    check_edge(application, target, action)
    source = application.state
    application.state = target
    if target in FINISHED_STATES:
        application.outcome = target
    save(application, actor)
    event = timeline_event(
        application,
        kind=kind,
        actor=actor,
        reason=reason,
        payload=payload,
        from_state=source,
        to_state=target,
    )
    if write_event:
        event.save()
    return event


_LOCKED_VALUES = "_values_as_locked"


def _column_values(application: Application) -> dict[str, Any]:
    # A mutable value (a JSON dict or list) is copied: a change made to it in place must
    # still differ from the value as locked.
    return {
        f.attname: deepcopy(value) if isinstance(value, dict | list) else value
        for f in Application._meta.concrete_fields
        for value in (getattr(application, f.attname),)
    }


def _remember_values(application: Application) -> None:
    setattr(application, _LOCKED_VALUES, _column_values(application))


def save(application: Application, actor: User | None) -> None:
    """Save with its history row (who). A row read by :func:`lock_application` writes only
    the columns changed since (issue 16: the full ``UPDATE`` of every column cost more CPU
    to build than the change itself); the history row still copies every field."""
    set_history_user(application, actor)
    locked = getattr(application, _LOCKED_VALUES, None)
    if locked is None:
        application.save()
        return
    changed = [name for name, value in _column_values(application).items() if locked[name] != value]
    application.save(update_fields=[*changed, "updated_at"])
    _remember_values(application)


def timeline(
    application: Application,
    *,
    kind: str,
    actor: User | None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    from_state: str = "",
    to_state: str = "",
    visible_to_applicant: bool = True,
) -> TimelineEvent:
    event = timeline_event(
        application,
        kind=kind,
        actor=actor,
        reason=reason,
        payload=payload,
        from_state=from_state,
        to_state=to_state,
        visible_to_applicant=visible_to_applicant,
    )
    event.save()
    return event


def timeline_event(
    application: Application,
    *,
    kind: str,
    actor: User | None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    from_state: str = "",
    to_state: str = "",
    visible_to_applicant: bool = True,
) -> TimelineEvent:
    """The timeline row (who, when, why), not written yet."""
    return TimelineEvent(
        application=application,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=reason,
        payload=payload or {},
        visible_to_applicant=visible_to_applicant,
    )


# --- Who may act -------------------------------------------------------------------------


def check_applicant(actor: User, application: Application) -> None:
    """Applicants act on their own applications only; others are told it does not exist."""
    if not application_is_owned_by(actor, application):
        raise ApplicationNotFoundError()


def check_staff(
    actor: User,
    application: Application | None,
    permission: str,
    *,
    department_id: int | None = None,
    any_department: bool = False,
) -> None:
    """Staff need the permission and must belong to the application's department, unless
    they are supervisors or administrators (who see every department). ``any_department``
    checks only the permission (before the row that names the department is read)."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError()
    if actor.kind != User.Kind.STAFF and not actor.is_superuser:
        raise PermissionDeniedError()
    if not actor.has_perm(f"applications.{permission}"):
        raise PermissionDeniedError()
    if any_department:
        return
    department_id = department_id or (application.department_id if application else None)
    allowed = department_ids_for(actor)
    if allowed is not None and department_id not in allowed:
        raise PermissionDeniedError(_("该办件不属于您所在的部门。"))


def can_edit_materials(actor: User, application: Application) -> None:
    """The applicant, or window staff of the department helping at the window (A13)."""
    if actor.kind == User.Kind.STAFF or actor.is_superuser:
        check_staff(actor, application, "intake_application")
    else:
        check_applicant(actor, application)


def require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="reason_required")
    return value


# --- Telling people ---------------------------------------------------------------------


def link_for(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def tell_applicant(
    application: Application, *, event: str, title: str, body: str, sms: bool = False
) -> None:
    """A10/A14: the applicant is told every outcome (SMS too for outcomes that need action)."""
    notify(
        recipient_id=application.applicant_id,
        title=title,
        body=body,
        category=NOTIFICATION_CATEGORY,
        link=link_for(application),
        channels=("inbox", "sms") if sms else ("inbox",),
        dedupe_key=f"application:{application.pk}:{event}",
    )


def department_staff(department_id: int, role: Role) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        kind=User.Kind.STAFF,
        departments=department_id,
        groups__name=group_name(role),
    ).distinct()


def stamp() -> Any:
    return timezone.now()
