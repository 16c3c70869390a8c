"""YAML read through libyaml gives what PyYAML's own parser gives: values, lines and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.errors import SourceError
from pipeline.sources import yamldoc as yamlfast

DOCUMENTS = [
    "title: Café\nkeywords: [human rights, 'war*', \"UN\"]\ncolor: '#8e2c48'\n",
    "a:\n  - 1\n  - 2.5\n  - true\n  - null\nb: {c: d}\n",
    "date: 2023-05-01\nwhen: 2023-05-01 10:00:00\n",
    "text: |\n  two\n  lines\nfolded: >\n  one\n  line\n",
    "",
]
BROKEN = ["tags: [a, b\n", "a: b: c\n", "- a\nb: c\n", "k: v\n\tq: 2\n", "a: 'x\n"]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_values_and_lines_are_pyyaml_s(text: str) -> None:
    node, data = yamlfast.document(text)
    assert data == yaml.load(text, Loader=yaml.SafeLoader)
    expected = yaml.compose(text, Loader=yaml.SafeLoader)
    if expected is None:
        assert node is None
        return
    assert node is not None
    pairs = zip(node.value, expected.value, strict=True)
    assert all(k.start_mark.line == e.start_mark.line for (k, _), (e, _) in pairs)


@pytest.mark.parametrize("text", BROKEN)
def test_errors_are_worded_as_pyyaml_words_them(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as ours:
        yamlfast.load(text)
    with pytest.raises(yaml.YAMLError) as theirs:
        yaml.load(text, Loader=yaml.SafeLoader)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ("security:\n  title: A\nrights:\n  title: B\nsecurity:\n  title: C\n", 5, 1),
        ("a:\n  title: A\n  color: red\n  title: B\n", 4, 2),
        ("- {k: 1, k: 2}\n", 1, 1),
    ],
)
def test_a_key_written_twice_is_an_error_at_its_second_line(
    text: str, line: int, first: int
) -> None:
    """YAML keeps the last of two equal keys without a word: a second ``security:`` would
    replace the whole focus before it."""
    with pytest.raises(SourceError) as caught:
        yamlfast.parse(text, Path("focuses.yaml"), "not valid YAML")
    assert caught.value.line == line
    assert f"is written twice (first on line {first})" in caught.value.message


def test_equal_values_and_keys_of_other_types_are_not_repeats() -> None:
    data = yamlfast.parse("a: 1\nb: 1\n'1': x\n1: y\n", Path("x.yaml"), "x").data
    assert data == {"a": 1, "b": 1, "1": "x", 1: "y"}
