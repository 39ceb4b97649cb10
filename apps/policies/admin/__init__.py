"""The policy admin (issue #14): policies and PO5 halts, shared data, entitlements, pushes,
claims, and the figures page at ``/admin/policies/policy/figures/``."""

from apps.policies.admin import benefits, policies, profiles

__all__ = ["benefits", "policies", "profiles"]
