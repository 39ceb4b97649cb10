"""The column names of a model's fields, for the few statements written by hand (issue 16:
where compiling the ORM's query cost several times the CPU of running it). Identifiers come
from the models' metadata only; values are always passed as parameters."""

from __future__ import annotations

from django.db.models import Field, Model


def column(model: type[Model], name: str) -> str:
    """The database column of ``model``'s field ``name`` (a foreign key's ``…_id``)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field.column
