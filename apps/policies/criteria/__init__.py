"""Policy eligibility criteria: registry, validation, SQL compilation, explanation (PO3)."""

from apps.policies.criteria.compile import criteria_q
from apps.policies.criteria.conditions import (
    Condition,
    CriteriaError,
    criteria_json,
    parse_criteria,
    whole_years_between,
    years_ago,
)
from apps.policies.criteria.explain import Reason, criteria_met, describe, explain
from apps.policies.criteria.registry import ATTRIBUTES, SubjectKind, registry_as_json

__all__ = [
    "ATTRIBUTES",
    "Condition",
    "CriteriaError",
    "Reason",
    "SubjectKind",
    "criteria_json",
    "criteria_met",
    "criteria_q",
    "describe",
    "explain",
    "parse_criteria",
    "registry_as_json",
    "whole_years_between",
    "years_ago",
]
