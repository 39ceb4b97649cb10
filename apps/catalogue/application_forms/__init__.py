"""Application forms of guide versions (在线填报) and the decision fields of their result
templates: definition, validation, display, merging for 一件事 and prefill.

The format is documented in docs/application-forms.md and checked by the JSON Schema in
``form-definition.schema.json``. Validation of answers lives in :mod:`.answers` only; the
applications services call it for the web pages, the API and the staff console alike.
"""

from apps.catalogue.application_forms.answers import AnswerCheck, check_answers, is_empty
from apps.catalogue.application_forms.definition import (
    Condition,
    Field,
    FormDefinition,
    Section,
    form_definition_problems,
    parse_form,
    parse_result_fields,
    result_fields_problems,
)
from apps.catalogue.application_forms.display import (
    answer_sections,
    decision_rows,
    display_value,
    document_fields,
)
from apps.catalogue.application_forms.merge import merge_forms, shared_keys
from apps.catalogue.application_forms.prefill import account_values, fixed_values

__all__ = [
    "AnswerCheck",
    "Condition",
    "Field",
    "FormDefinition",
    "Section",
    "account_values",
    "answer_sections",
    "check_answers",
    "decision_rows",
    "display_value",
    "document_fields",
    "fixed_values",
    "form_definition_problems",
    "is_empty",
    "merge_forms",
    "parse_form",
    "parse_result_fields",
    "result_fields_problems",
    "shared_keys",
]
