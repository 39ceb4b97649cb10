"""Field lists of the catalogue, defined once and shared by the services, selectors,
admin and the import/export (each derives what it needs; order is significant: it is the
CSV column order)."""

# The basic catalogue entry (基本目录, C2).
ITEM_BASIC_FIELDS = [
    "code",
    "name",
    "item_type",
    "target",
    "competent_department",
    "implementing_department",
    "legal_basis",
    "level",
]

# What a material line says, beyond its name and position (C4, C11, A3).
MATERIAL_CONTENT_FIELDS = [
    "description",
    "originals",
    "copies",
    "electronic_formats",
    "max_size_mb",
    "is_required",
    "importance",
    "supplement_days",
    "reuse",
    "e_licence_type",
]

# JSON documents of a guide version: its online form and result template
# (docs/application-forms.md). They travel as JSON in the exchange formats.
GUIDE_JSON_FIELDS = ["application_form", "result_fields"]

GUIDE_FIELDS = [
    "change_note",
    "acceptance_conditions",
    "review_standards",
    "legal_time_limit_days",
    "promised_time_limit_days",
    "is_immediate",
    "result_name",
    "result_type",
    "result_sample",
    "fee_required",
    "fee_standard",
    "fee_basis",
    "online_available",
    "window_available",
    "mobile_available",
    "post_available",
    "tongban_scope",
    "appointment",
    "max_visits",
    "where_to_apply",
    "office_hours",
    "consultation",
    "complaint",
    "tolerance_note",
    "incomplete_submission_allowed",
    "pledge_enabled",
    "pledge_text",
    "pledge_liability_text",
    "pledge_verification_days",
    *GUIDE_JSON_FIELDS,
]
