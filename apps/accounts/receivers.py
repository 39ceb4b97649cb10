"""Technical listeners of the accounts app (no business rules here).

A staff member's session is made a browser session, with its idle clock started, in the
same save that signs them in (``user_logged_in``): the first page after signing in does not
write the session again. ``apps.accounts.middleware`` keeps the clock running and ends it.

The copies of users' access kept in Redis (``apps.accounts.access``) are given up whenever
what they were read from changes: a user's roles, permissions or departments (that user's
copy), a role's permissions, a group, permission, content type or department renamed or
deleted, and a migration (everyone's). Every such change, from a service, the admin or a
shell, passes here; bulk writes to the link tables that bypass these signals are not made
anywhere.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from apps.accounts.access import access_changed, access_forget
from apps.accounts.middleware import start_staff_session
from apps.accounts.models import Department, User


@receiver(user_logged_in, dispatch_uid="accounts.staff_session_on_login")
def staff_session_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start_staff_session(request.session, user)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.access.groups")
@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="accounts.access.perms")
@receiver(m2m_changed, sender=User.departments.through, dispatch_uid="accounts.access.departments")
def access_on_membership_change(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:  # user.groups.add(…): this user's
        access_forget(instance)
        access_changed(user_id=instance.pk)
    elif pk_set is not None:  # group.user_set.add(…), department.staff.remove(…): theirs
        for user_id in pk_set:
            access_changed(user_id=user_id)
    else:  # a group's or department's members cleared: whoever they were
        access_changed()


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="accounts.access.role_perms")
def access_on_role_permissions_change(sender, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        access_changed()


@receiver(post_save, sender=Group, dispatch_uid="accounts.access.group_saved")
@receiver(post_delete, sender=Group, dispatch_uid="accounts.access.group_deleted")
@receiver(post_save, sender=Permission, dispatch_uid="accounts.access.perm_saved")
@receiver(post_delete, sender=Permission, dispatch_uid="accounts.access.perm_deleted")
@receiver(post_save, sender=ContentType, dispatch_uid="accounts.access.type_saved")
@receiver(post_delete, sender=ContentType, dispatch_uid="accounts.access.type_deleted")
@receiver(post_delete, sender=Department, dispatch_uid="accounts.access.department_deleted")
def access_on_definition_change(sender, **kwargs) -> None:
    access_changed()


@receiver(post_delete, sender=User, dispatch_uid="accounts.access.user_deleted")
def access_on_user_delete(sender, instance, **kwargs) -> None:
    access_changed(user_id=instance.pk)


@receiver(post_migrate, dispatch_uid="accounts.access.migrated")
def access_on_migrate(sender, **kwargs) -> None:
    access_changed()
