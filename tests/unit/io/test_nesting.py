"""Deep nesting is refused with the file's name and the limit (issue 17, finding 3), in every
JSON and YAML reader (interchange, Kumu JSON, 360Giving JSON), in ``solgraph load`` and
``solgraph import``, and in GraphML's JSON attributes; never a RecursionError.

Depths are counted by hand in each comment: a list or an object is one level.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.domain.errors import InvalidData, Problem
from app.io.documents import MAX_DEPTH, json_too_deep, parse_text
from app.io.graph_import import read_graphml
from app.io.importers import read_files

LIMIT = f"nested more than {MAX_DEPTH} levels deep; the limit is {MAX_DEPTH}"


def nested(depth: int) -> str:
    """``depth`` lists, one inside the other: ``[[...]]``, in JSON and YAML flow style alike."""
    return "[" * depth + "]" * depth


def refusal(text: str, fmt: str, origin: str = "upload/deep") -> Problem:
    with pytest.raises(InvalidData) as caught:
        parse_text(text, fmt, origin)
    [problem] = caught.value.problems
    assert problem.record == origin
    return problem


def test_the_limit_is_far_below_python_recursion_and_above_our_formats() -> None:
    # Our documents nest at most about six deep (document, list, record, sources, source).
    assert 10 <= MAX_DEPTH <= 200


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nesting_up_to_the_limit_is_read(fmt: str) -> None:
    value = parse_text(nested(MAX_DEPTH), fmt, "ok")
    for _ in range(MAX_DEPTH - 1):
        [value] = value
    assert value == []


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 50_000])
def test_nesting_past_the_limit_names_the_file_and_the_limit(fmt: str, depth: int) -> None:
    problem = refusal(nested(depth), fmt)
    assert problem.message == LIMIT


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_unclosed_brackets_are_refused_by_depth_not_by_recursion(fmt: str) -> None:
    # The attack's file: 100,000 opening brackets and nothing else.
    assert refusal("[" * 100_000, fmt).message == LIMIT


def test_objects_count_as_levels_too() -> None:
    # {"a": {"a": ... 1 ...}} with MAX_DEPTH + 1 objects.
    text = '{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    assert json_too_deep(text)
    assert refusal(text, "json").message == LIMIT


@pytest.mark.parametrize(
    "text",
    [
        '["' + "[" * 500 + '"]',  # brackets inside a string are text: depth 1
        '["\\"' + "{" * 500 + '", "\\\\"]',  # escaped quotes and backslashes: still depth 1
        '{"k": "]]]]' + "[" * 500 + '"}',  # closing brackets in a string do not lower it
    ],
)
def test_brackets_inside_strings_do_not_count(text: str) -> None:
    assert not json_too_deep(text)
    assert parse_text(text, "json", "strings.json")


def test_a_block_yaml_past_the_limit_names_the_line() -> None:
    # "- - - x": compact block sequences, MAX_DEPTH + 1 of them on line 1; then a mapping of
    # lists indented one more step per line, MAX_DEPTH + 1 deep, refused at its last line.
    assert refusal("- " * (MAX_DEPTH + 1) + "x\n", "yaml").field == "line 1"
    lines = [f"{'  ' * level}k{level}:" for level in range(MAX_DEPTH + 1)]
    problem = refusal("\n".join(lines) + " x\n", "yaml")
    assert problem.message == LIMIT
    assert problem.field == f"line {MAX_DEPTH + 1}"


def test_yaml_aliases_nest_as_deep_as_what_they_name() -> None:
    # a: 60 lists (levels 2-61 under the top mapping); b: 30 lists around *a reaches
    # 1 + 30 + 60 = 91, allowed; c: 10 lists around *b reaches 1 + 10 + 90 = 101, refused.
    a = "a: &a " + nested(60) + "\n"
    b = "b: &b " + "[" * 30 + "*a" + "]" * 30 + "\n"
    c = "c: " + "[" * 10 + "*b" + "]" * 10 + "\n"
    assert parse_text(a + b, "yaml", "chain.yaml")["b"]
    assert refusal(a + b + c, "yaml").message == LIMIT


def test_a_yaml_alias_inside_its_own_anchor_is_refused() -> None:
    # &a [1, *a] is a list that holds itself: nesting without end.
    assert refusal("a: &a [1, *a]\n", "yaml").message == LIMIT


def test_yaml_aliases_of_scalars_and_merge_keys_still_read() -> None:
    text = "name: &n Cooperativa\nbase: &b {x: 1}\nboth: [*n, *n]\nc: {<<: *b, y: 2}\n"
    value = parse_text(text, "yaml", "plain.yaml")
    assert value["both"] == ["Cooperativa", "Cooperativa"]
    assert value["c"] == {"x": 1, "y": 2}


DEEP = nested(5_000)
UPLOADS = {
    "kumu.json": '{"elements": [{"attributes": {"x": ' + DEEP + '}}], "connections": []}',
    "grants.json": '{"grants": [{"id": "g1", "x": ' + DEEP + "}]}",
    "document.yaml": "organizations: " + DEEP + "\nrelationships: []\n",
    "document.json": '{"organizations": ' + DEEP + ', "relationships": []}',
}
"""A deep value inside each layout that is read as JSON or YAML."""


@pytest.mark.parametrize("name", UPLOADS)
def test_every_json_and_yaml_layout_refuses_deep_nesting(name: str) -> None:
    with pytest.raises(InvalidData) as caught:
        read_files([(name, UPLOADS[name].encode())])
    [problem] = caught.value.problems
    assert problem.record == name
    assert problem.message == LIMIT


GRAPHML = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    '<key id="t" for="node" attr.name="type"/><key id="a" for="node" attr.name="aliases_json"/>'
    '<graph edgedefault="directed"><node id="deep"><data key="t">ngo</data>'
    '<data key="a">{aliases}</data></node></graph></graphml>'
)


def test_a_deep_json_attribute_in_graphml_is_noted_and_not_read() -> None:
    data = GRAPHML.format(aliases="[" * 100_000).encode()
    document, report = read_graphml(data, "deep.graphml")
    [org] = document.organizations
    assert org.aliases == []
    [note] = [issue for issue in report.issues if issue.item == "node 'deep'"]
    assert f"the limit of {MAX_DEPTH} levels" in note.message
    assert not note.skipped


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"SOLGRAPH_STORE": "memory", "SOLGRAPH_DATA_DIR": str(tmp_path / "data")}


@pytest.mark.parametrize("command", ["load", "import"])
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_the_cli_refuses_deep_files_naming_the_file_and_the_limit(
    tmp_path: Path, env: dict[str, str], command: str, suffix: str
) -> None:
    path = tmp_path / f"deep{suffix}"
    path.write_text("[" * 100_000, encoding="utf-8")
    result = CliRunner().invoke(cli, [command, str(path)], env=env)
    assert result.exit_code == 1, result.output
    assert str(path) in result.output
    assert LIMIT in result.output
    assert "Traceback" not in result.output
