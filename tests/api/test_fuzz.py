"""``make fuzz``: schemathesis over the whole OpenAPI schema for every persona, long
(issue 16). Not CI's: collected only with ``FUZZ_BUDGET_SECONDS`` set (tests/api/conftest.py).

Anonymous, citizen, company agent, window staff, department approver, 12345 hotline
operator, supervisor and system administrator (every role of ``apps.accounts.roles``) each
get ``FUZZ_BUDGET_SECONDS`` of wall time (no new operation starts after it) and up to
``FUZZ_MAX_EXAMPLES`` random examples per operation, failures shrunk to their smallest
form. The checks are the CI contract run's (``tests/api/contract.py``): no server error, no
response that breaks the schema.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

from tests.api.contract import PERSONAS, Budget, contract_test

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_MAX_EXAMPLES", "200")),
    derandomize=False,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
_budget = Budget(float(os.environ["FUZZ_BUDGET_SECONDS"]), per_persona=True)
# One test per persona, named test_fuzz_<persona>; CI checks every role has a persona
# (test_schema_contract.py).
for _persona in PERSONAS:
    globals()[f"test_fuzz_{_persona}"] = contract_test(_persona, settings=FUZZ, budget=_budget)
