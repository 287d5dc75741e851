"""The movement's models. Each part of the app keeps its own: units here,
activities in movement/activities/models.py, import jobs in
movement/imports/models.py; Django finds them all through this package."""
from movement.activities.models import (
                                        Commendation,
                                        CommitmentSigning,
                                        LegalDocument,
                                        PropagandaSession,
                                        UnitPlan,
                                        WardActivity,
)
from movement.imports.models import ImportJob
from movement.models.units import Unit, UnitMove

__all__ = ["Commendation", "CommitmentSigning", "ImportJob", "LegalDocument", "PropagandaSession", "Unit",
           "UnitMove", "UnitPlan", "WardActivity"]
