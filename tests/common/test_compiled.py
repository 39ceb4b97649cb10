"""Reads compiled once per shape give what their queryset gives (issue 16), and the cheap
``get_<field>_display`` prints what Django's prints."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection, models
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.applications.models import Application, ApplicationMaterial, TimelineEvent
from apps.applications.workflow import State
from apps.catalogue.models import ServiceGuide
from apps.common.compiled import CompiledRead, _Compiled, attach_prefetched
from tests.applications.factories import ApplicationFactory, guide_for


def _page(*, pk: int, departments: list[int] | None):
    qs = Application.objects.select_related("item", "guide", "applicant", "company", "answers")
    if departments is not None:
        qs = qs.filter(department_id__in=departments)
    return qs.filter(pk=pk).annotate(marker=Value("x")).order_by()


def _fields(obj: models.Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def two(department, other_department, citizen):
    return ApplicationFactory(guide=guide_for(department), applicant=citizen), ApplicationFactory(
        guide=guide_for(other_department), applicant=citizen
    )


def test_a_compiled_read_gives_the_querysets_rows_with_their_related_objects(two):
    read = CompiledRead(Application, _page)
    for app in two:
        for departments in (None, [app.department_id], [app.department_id, -5]):
            (ours,) = read.fetch(pk=app.pk, departments=departments)
            (theirs,) = _page(pk=app.pk, departments=departments)
            assert _fields(ours) == _fields(theirs) and ours.marker == "x"
            assert ours._state.db == theirs._state.db and not ours._state.adding
            with CaptureQueriesContext(connection) as captured:
                assert _fields(ours.guide) == _fields(theirs.guide)
                assert _fields(ours.applicant) == _fields(theirs.applicant)
                assert ours.company is None
            assert not captured.captured_queries  # select_related objects came with the row
    first, second = two
    assert read.fetch(pk=first.pk, departments=[second.department_id]) == []


def test_each_shape_is_compiled_once(two):
    read = CompiledRead(Application, _page)
    with mock.patch.object(CompiledRead, "_compile", wraps=read._compile) as compile_:
        for _ in range(3):
            for app in two:
                read.fetch(pk=app.pk, departments=[app.department_id])
                read.fetch(pk=app.pk, departments=None)
    assert compile_.call_count == 2  # a list of one department, and no list


def test_a_value_that_does_not_reach_the_sql_as_given_is_refused(db):
    read = CompiledRead(Application, lambda *, pk: Application.objects.filter(pk=pk + 1))
    with pytest.raises(ValueError, match="as given"):
        read.fetch(pk=1)
    with pytest.raises(ValueError, match="neither prefetches"):
        CompiledRead(Application, lambda *, pk: Application.objects.filter(pk=pk).only("id")).fetch(
            pk=1
        )
    assert _Compiled  # the per-shape compilation is private to the module


def test_attached_rows_read_as_prefetched(two):
    app = Application.objects.get(pk=two[0].pk)
    materials = list(ApplicationMaterial.objects.filter(application=app))
    assert materials
    attach_prefetched(app, "materials", materials)
    with CaptureQueriesContext(connection) as captured:
        assert list(app.materials.all()) == materials
        assert all(m.application is app for m in app.materials.all())
    assert not captured.captured_queries


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_choice_display_prints_what_djangos_prints(db, language):
    rows = [(Application(state=state), Application._meta.get_field("state")) for state in State] + [
        (Application(state="no-such-state"), Application._meta.get_field("state")),
        (TimelineEvent(kind=TimelineEvent.Kind.TRANSITION), TimelineEvent._meta.get_field("kind")),
        (ServiceGuide(status="published"), ServiceGuide._meta.get_field("status")),
    ]
    with translation.override(language):
        for obj, field in rows:
            ours = getattr(obj, f"get_{field.name}_display")()
            assert ours == models.Model._get_FIELD_display(obj, field)
            assert type(ours) is str


def test_an_empty_list_reads_nothing(two):
    read = CompiledRead(Application, _page)
    with CaptureQueriesContext(connection) as captured:
        assert read.fetch(pk=two[0].pk, departments=[]) == []
    assert not captured.captured_queries


def test_values_the_database_hands_back_are_converted_as_the_queryset_converts_them(two):
    """A JSON column (the timeline's payload) goes through its field's converter."""
    app = two[0]
    TimelineEvent.objects.create(application=app, kind="transition", payload={"to": ["a", 1]})
    read = CompiledRead(
        TimelineEvent, lambda *, pk: TimelineEvent.objects.filter(application_id=pk).order_by("id")
    )
    ours = read.fetch(pk=app.pk)
    theirs = list(TimelineEvent.objects.filter(application_id=app.pk).order_by("id"))
    assert [_fields(e) for e in ours] == [_fields(e) for e in theirs]
    assert {"to": ["a", 1]} in [e.payload for e in ours]
