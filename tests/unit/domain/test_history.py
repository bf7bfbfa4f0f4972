"""``app.domain.history.changed_fields``: the fields an audit entry changed.

Expected values are read off the two small records written in each test.
"""

from __future__ import annotations

from app.domain.history import FieldChange, changed_fields

BEFORE = {"id": "u", "name": "Old Union", "countries": ["KE"], "founded": None, "aliases": []}


def test_only_the_fields_that_differ_in_the_record_s_order() -> None:
    after = {**BEFORE, "countries": ["KE", "UG"], "name": "New Union", "founded": 1999}
    assert changed_fields(BEFORE, after) == [
        FieldChange("name", "Old Union", "New Union"),
        FieldChange("countries", ["KE"], ["KE", "UG"]),
        FieldChange("founded", None, 1999),
    ]


def test_a_created_record_lists_each_field_it_has() -> None:
    assert changed_fields(None, BEFORE) == [
        FieldChange("id", None, "u"),
        FieldChange("name", None, "Old Union"),
        FieldChange("countries", None, ["KE"]),
    ]


def test_a_deleted_record_lists_each_field_it_had() -> None:
    assert [c.field for c in changed_fields(BEFORE, None)] == ["id", "name", "countries"]
    assert all(c.after is None for c in changed_fields(BEFORE, None))


def test_absent_none_and_empty_are_one_and_fields_only_before_come_last() -> None:
    after = {"id": "u", "name": "Old Union", "countries": ["KE"], "aliases": None, "x": 1}
    older = {**BEFORE, "gone": "yes"}
    assert changed_fields(older, after) == [
        FieldChange("x", None, 1),
        FieldChange("gone", "yes", None),
    ]


def test_an_unchanged_record_changes_nothing() -> None:
    assert changed_fields(BEFORE, dict(BEFORE)) == []
