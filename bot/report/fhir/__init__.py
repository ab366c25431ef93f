"""FHIR R4 resources for the intake (docs/fhir.md): the SDC Questionnaire and our
CodeSystems (definitions), the QuestionnaireResponse and zib Observations of one summary,
the transaction Bundle pushed to the hospital (bot/report/fhir/delivery.py) and the MedMij-style
Task flow (bot/report/fhir/tasks.py).

FHIR version: fhir.resources 6.5.0 has no separate R4 (4.0.1) package; its top-level
models are FHIR 4.3.0 (R4B), structurally identical for the elements used here. Every
resource is also validated against the R4 definitions by Medplum's validator and
FHIRPath.js in ``make test-fhir`` (tests/fhir/).
"""

from bot.report.fhir.codesystems import code_system_by_id, code_system_by_url, code_systems
from bot.report.fhir.common import (
    EXT_ENABLE_WHEN_EXPRESSION,
    EXT_MAX_VALUE,
    EXT_MIN_VALUE,
    EXT_OPTION_EXCLUSIVE,
    FHIR_VERSION,
    PARTICIPATION_PROFILE,
    WORK_SITUATION_PROFILE,
    base_url,
    code_system_url,
    parse,
    questionnaire_url,
)
from bot.report.fhir.observations import (
    participation_observation,
    work_situation_observation,
    work_situation_text,
)
from bot.report.fhir.questionnaire import package, questionnaire
from bot.report.fhir.response import Identity, questionnaire_response

__all__ = [
    "questionnaire",
    "package",
    "questionnaire_response",
    "participation_observation",
    "work_situation_observation",
    "work_situation_text",
    "code_systems",
    "code_system_by_id",
    "code_system_by_url",
    "parse",
    "questionnaire_url",
    "code_system_url",
    "base_url",
    "Identity",
    "FHIR_VERSION",
    "EXT_MIN_VALUE",
    "EXT_MAX_VALUE",
    "EXT_OPTION_EXCLUSIVE",
    "EXT_ENABLE_WHEN_EXPRESSION",
    "PARTICIPATION_PROFILE",
    "WORK_SITUATION_PROFILE",
]
