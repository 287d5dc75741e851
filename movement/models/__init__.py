"""The movement's models. Each part of the app keeps its own: units here,
activities in movement/activities/models.py, import jobs in
movement/imports/models.py, export jobs in movement/exports/models.py; Django
finds them all through this package."""
from movement.activities.models import (
                                        Commendation,
                                        CommitmentSigning,
                                        LegalDocument,
                                        PropagandaSession,
                                        UnitPlan,
                                        WardActivity,
)
from movement.exports.models import ExportJob
from movement.imports.models import ImportJob
from movement.models.units import Unit, UnitMove

__all__ = ["Commendation", "CommitmentSigning", "ExportJob", "ImportJob", "LegalDocument", "PropagandaSession", "Unit",
           "UnitMove", "UnitPlan", "WardActivity"]
