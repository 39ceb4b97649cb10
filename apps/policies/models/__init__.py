"""Models of the policies app, by sub-domain."""

from apps.policies.models.benefits import Entitlement, EntitlementEvent, PolicyClaim
from apps.policies.models.matching import PolicyMatch, PolicyPush, PushDelivery
from apps.policies.models.policies import (
    Fulfilment,
    LegalGround,
    Policy,
    PolicyClass,
    PolicyEvent,
    PolicyHaltRequest,
)
from apps.policies.models.profiles import (
    CompanyProfile,
    PersonProfile,
    ProfileAccess,
    ProfileImport,
)

__all__ = [
    "CompanyProfile",
    "Entitlement",
    "EntitlementEvent",
    "Fulfilment",
    "LegalGround",
    "PersonProfile",
    "Policy",
    "PolicyClaim",
    "PolicyClass",
    "PolicyEvent",
    "PolicyHaltRequest",
    "PolicyMatch",
    "PolicyPush",
    "ProfileAccess",
    "ProfileImport",
    "PushDelivery",
]
