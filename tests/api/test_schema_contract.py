"""Schemathesis over the whole OpenAPI schema, as three personas, in CI (issue 7).

An anonymous visitor, a citizen and a department's window staff; what is checked, and
what is not, is in ``tests/api/contract.py``. ``make fuzz`` (``test_fuzz.py``) runs the same
code for every role with a long budget, outside CI.

Bounded for CI: a few examples per operation, a fixed seed (derandomized), no example
database, and a time budget after which no further operation is started.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

from apps.accounts.roles import Role
from tests.api.contract import PERSONAS, Budget, contract_test

MAX_EXAMPLES = 5
# The whole contract run stops starting new operations after this many seconds of wall
# time, so a slow machine cannot stretch CI; what it skipped is listed as skipped, with this
# reason. On an idle machine the run needs about a minute (about 55 s of CPU measured).
TIME_BUDGET_SECONDS = 110

CONTRACT = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
_budget = Budget(TIME_BUDGET_SECONDS, per_persona=False)

test_every_operation_answers_as_its_schema_says_to_anonymous = contract_test(
    "anonymous", settings=CONTRACT, budget=_budget
)
test_every_operation_answers_as_its_schema_says_to_a_citizen = contract_test(
    "citizen", settings=CONTRACT, budget=_budget
)
test_every_operation_answers_as_its_schema_says_to_window_staff = contract_test(
    "window_staff", settings=CONTRACT, budget=_budget
)


def test_make_fuzz_runs_every_role_and_the_anonymous_visitor():
    """Issue 16: a role added to apps.accounts.roles is fuzzed too (tests/api/test_fuzz.py)."""
    assert set(PERSONAS) == {"anonymous", *Role.values}
