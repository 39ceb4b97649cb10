"""Reads of a fixed shape compiled to SQL once per process (issue 16).

Django compiles a queryset to SQL each time it is evaluated. For a page that reads the same
wide rows on every request (the staff application page: the application with its item,
department, guide, people and answers, ~160 columns over 7 joins, and the materials of the
application and of its guide) compiling cost the page more CPU than Postgres spent running
the queries. :class:`CompiledRead` compiles its queryset once per shape (per thread, as
Django's connections are), and runs the cached SQL with each call's values; the rows become
model instances exactly as the queryset would make them (``select_related`` objects
included), with every column the queryset selects.

A read is declared with a function building its queryset from keyword values (ints, or
lists of ints for ``__in``); the shape is the names, which values are ``None`` and the
length of each list. The values are found in the compiled parameters by compiling the shape
once with sentinel numbers, so a value must reach the SQL unchanged (an id, not ``id + 1``).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)
Value = int | Sequence[int] | None
# Far outside any id the database hands out, and distinct from each other.
_SENTINEL = -(10**15)


class _Compiled:
    """One shape's SQL and what turns its rows into model instances."""

    def __init__(self, queryset: QuerySet, names: dict[int, tuple[str, int | None]]) -> None:
        self.db = queryset.db
        compiler = queryset.query.get_compiler(using=self.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. ``__in`` an empty list: no rows, whatever the values
            sql, params = "", []
        self.sql = sql
        # Each parameter: the caller's value (name, index in its list) or a constant.
        self.params: list[tuple[bool, Any]] = [
            (True, names[p]) if isinstance(p, int) and p in names else (False, p) for p in params
        ]
        found = {spec for is_value, spec in self.params if is_value}
        if sql and found != set(names.values()):
            raise ValueError(f"every value must reach the SQL as given: {sql}")
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.model_slice = slice(start, end)
        self.init_list = [column[0].target.attname for column in select[start:end]]
        self.populators = get_related_populators(klass_info, select, self.db)
        self.annotations = dict(compiler.annotation_col_map or {})
        converters = compiler.get_converters(
            [column[0] for column in select[0 : compiler.col_count]]
        )
        self.converters = list(converters.items())

    def run(self, values: dict[str, Value]) -> list[Model]:
        if not self.sql:
            return []
        params = [_value(values, *spec) if is_value else spec for is_value, spec in self.params]
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        for row in rows:
            if self.converters:  # as the compiler's apply_converters, on this connection
                row = list(row)
                for position, (functions, expression) in self.converters:
                    for convert in functions:
                        row[position] = convert(row[position], expression, connection)
            obj = self.model.from_db(self.db, self.init_list, row[self.model_slice])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def _shape(item: tuple[str, Value]) -> tuple[str, int | None]:
    """A value's part of the shape: ``None``, a number (-1), or a list of this length."""
    name, value = item
    return name, None if value is None else -1 if isinstance(value, int) else len(value)


def _value(values: dict[str, Value], name: str, index: int | None) -> Any:
    value = values[name]
    return value if index is None else value[index]  # type: ignore[index]


class CompiledRead(Generic[M]):
    """``build(**values) -> QuerySet`` of ``model`` compiled once per shape, database and
    thread; :meth:`fetch` runs it with ``values``. The queryset may use ``select_related``
    and ``annotate`` but not ``prefetch_related`` (attach those with
    :func:`attach_prefetched`) nor ``defer``."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]]) -> None:
        self._model = model
        self._build = build
        self._local = threading.local()

    def fetch(self, **values: Value) -> list[M]:
        # The database the queryset would read from now (a router may send reads elsewhere,
        # e.g. to a replica), then the values' shape.
        shape = (router.db_for_read(self._model), *map(_shape, sorted(values.items())))
        cache: dict = self._local.__dict__.setdefault("shapes", {})
        compiled = cache.get(shape)
        if compiled is None:
            compiled = cache[shape] = self._compile(values)
        return compiled.run(values)  # type: ignore[return-value]

    def _compile(self, values: dict[str, Value]) -> _Compiled:
        sentinels = itertools.count(_SENTINEL, -1)
        names: dict[int, tuple[str, int | None]] = {}
        stand_ins: dict[str, Value] = {}
        for name, value in values.items():
            if value is None:
                stand_ins[name] = None
            elif isinstance(value, int):
                stand_ins[name] = number = next(sentinels)
                names[number] = (name, None)
            else:
                stand_ins[name] = numbers = [next(sentinels) for _ in value]
                names.update({number: (name, i) for i, number in enumerate(numbers)})
        queryset = self._build(**stand_ins)
        if queryset.model is not self._model:
            raise ValueError(
                f"the read builds {queryset.model.__name__}, not {self._model.__name__}"
            )
        if queryset._prefetch_related_lookups or queryset.query.deferred_loading[0]:
            raise ValueError("a compiled read neither prefetches nor defers")
        return _Compiled(queryset, names)


def attach_prefetched(instance: Model, related_name: str, objects: Sequence[Model]) -> None:
    """Give ``instance`` its reverse foreign key ``related_name`` as ``prefetch_related``
    would: ``instance.<related_name>.all()`` is ``objects``, each knowing ``instance``."""
    manager = getattr(instance, related_name)
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    for obj in objects:
        manager.field.set_cached_value(obj, instance)
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[manager.field.remote_field.cache_name] = queryset
