"""The shared reader of maintainer YAML files (papers.yaml_config): every error is the
loader's own exception and names file, line and key."""

import pytest
from papers.yaml_config import NodeReader, check_arxiv_category, describe


class MaintainerFileError(ValueError):
    pass


class Reader(NodeReader):
    error_class = MaintainerFileError


def read(tmp_path, text):
    path = tmp_path / "settings.yml"
    path.write_text(text, encoding="utf-8")
    reader = Reader(path)
    return reader, reader.read()


def error_of(call, *args, **kwargs) -> str:
    with pytest.raises(MaintainerFileError) as error:
        call(*args, **kwargs)
    return str(error.value)


# --- Reading the file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ":1: the file is empty"),
        ("# only a comment\n", ":1: the file is empty"),
        ("a: [1, 2\nb: 3\n", ":2: not valid YAML: did not find expected ',' or ']'"),
        ("a: 'open\n", ":2: not valid YAML: found unexpected end of stream"),
        ("a: 1\n\tb: 2\n", ":2: not valid YAML"),
    ],
)
def test_a_file_that_is_empty_or_not_yaml_is_an_error_of_the_readers_class_with_its_line(tmp_path, text, expected):
    path = tmp_path / "settings.yml"
    path.write_text(text, encoding="utf-8")
    assert error_of(Reader(path).read).startswith(f"{path}{expected}")


def test_a_missing_or_undecodable_file_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "nowhere.yml"
    assert error_of(Reader(missing).read) == f"{missing}: cannot read: No such file or directory"
    latin1 = tmp_path / "latin1.yml"
    latin1.write_bytes("name: café\n".encode("latin-1"))
    assert error_of(Reader(latin1).read).startswith(f"{latin1}: cannot read: 'utf-8' codec can't decode")


def test_the_default_error_class_is_value_error(tmp_path):
    path = tmp_path / "empty.yml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="empty.yml:1: the file is empty"):
        NodeReader(path).read()


# --- Mappings ------------------------------------------------------------------------------------


def test_a_mapping_gives_each_value_node_with_its_full_key(tmp_path):
    reader, root = read(tmp_path, "outer:\n  inner: x\n  other: y\n")
    top = reader.mapping(root, "", ("outer",))
    inner = reader.mapping(*top["outer"], ("inner", "other"))
    assert {name: (node.value, key) for name, (node, key) in inner.items()} == {
        "inner": ("x", "outer.inner"),
        "other": ("y", "outer.other"),
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("outer:\n  inner: x\n  innr: y\n", ":3: outer.innr: unknown key 'innr' (expected one of: inner, other)"),
        ("outer:\n  inner: x\n  inner: y\n", ":3: outer.inner: key 'inner' given twice"),
        ("outer:\n  other: y\n", ":2: outer.inner: missing key 'inner'"),
        ("outer: [x]\n", ":1: outer: expected a mapping (keys: inner, other), got a list"),
        ("outer:\n", ":1: outer: expected a mapping (keys: inner, other), got null ''"),
    ],
)
def test_mapping_errors_name_line_and_full_key(tmp_path, text, message):
    reader, root = read(tmp_path, text)
    top = reader.mapping(root, "", ("outer",))
    assert error_of(reader.mapping, *top["outer"], ("inner", "other"), required=("inner",)) == f"{reader.path}{message}"


def test_errors_at_the_top_level_have_no_key(tmp_path):
    reader, root = read(tmp_path, "- a\n")
    assert error_of(reader.mapping, root, "", ("a",)) == f"{reader.path}:1: expected a mapping (keys: a), got a list"
    reader, root = read(tmp_path, "b: 1\n")
    assert error_of(reader.mapping, root, "", ("a", "b"), required=("a",)) == f"{reader.path}:1: a: missing key 'a'"


# --- Texts and lists -----------------------------------------------------------------------------


def test_a_text_has_its_whitespace_runs_made_single_spaces(tmp_path):
    reader, root = read(tmp_path, "a: >\n  two\n    lines  and\n  spaces\n")
    assert reader.text(*reader.mapping(root, "", ("a",))["a"]) == "two lines and spaces"


@pytest.mark.parametrize(
    "value, message",
    [
        ("42", "a: expected text, got int '42' (quote it)"),
        ("yes", "a: expected text, got bool 'yes' (quote it)"),
        ("[x]", "a: expected text, got a list (quote it)"),
        ("~", "a: expected a non-empty text"),
        ("''", "a: expected a non-empty text"),
        ("'   '", "a: expected a non-empty text"),
    ],
)
def test_a_text_must_be_a_non_empty_string(tmp_path, value, message):
    reader, root = read(tmp_path, f"a: {value}\n")
    assert error_of(reader.text, *reader.mapping(root, "", ("a",))["a"]) == f"{reader.path}:1: {message}"


def test_a_text_check_names_the_value_and_its_problem(tmp_path):
    reader, root = read(tmp_path, "a: Hello\n")
    node, key = reader.mapping(root, "", ("a",))["a"]
    assert reader.text(node, key, check=lambda value: None) == "Hello"
    message = error_of(reader.text, node, key, check=lambda value: f"is not {value.lower()}")
    assert message == f"{reader.path}:1: a: 'Hello' is not hello"


def test_texts_are_distinct_in_any_case_and_each_error_has_its_items_line(tmp_path):
    reader, root = read(tmp_path, "a:\n  - One\n  - two\n  - ONE\n")
    message = error_of(reader.texts, *reader.mapping(root, "", ("a",))["a"])
    assert message == f"{reader.path}:4: a: 'ONE' is listed twice"
    reader, root = read(tmp_path, "a:\n  - One\n  - 2\n")
    assert error_of(reader.texts, *reader.mapping(root, "", ("a",))["a"]).startswith(f"{reader.path}:3: a: expected text")
    reader, root = read(tmp_path, "a: [One, two]\n")
    assert reader.texts(*reader.mapping(root, "", ("a",))["a"]) == ["One", "two"]


def test_a_list_must_be_a_list_and_is_non_empty_unless_allowed(tmp_path):
    reader, root = read(tmp_path, "a: []\nb: x\n")
    items = reader.mapping(root, "", ("a", "b"))
    assert error_of(reader.texts, *items["a"]) == f"{reader.path}:1: a: expected a non-empty list"
    assert reader.texts(*items["a"], allow_empty=True) == []
    assert error_of(reader.sequence, *items["b"], allow_empty=True) == f"{reader.path}:2: b: expected a list, got str 'x'"


# --- Flags and numbers ---------------------------------------------------------------------------


def test_flags(tmp_path):
    reader, root = read(tmp_path, "a: true\nb: no\nc: maybe\nd: 'true'\n")
    items = reader.mapping(root, "", ("a", "b", "c", "d"))
    assert (reader.flag(*items["a"]), reader.flag(*items["b"])) == (True, False)
    assert error_of(reader.flag, *items["c"]) == f"{reader.path}:3: c: expected true or false, got str 'maybe'"
    assert error_of(reader.flag, *items["d"]) == f"{reader.path}:4: d: expected true or false, got str 'true'"


def test_numbers(tmp_path):
    reader, root = read(tmp_path, "a: 3\nb: 0.5\nc: -1\nd: high\n")
    items = reader.mapping(root, "", ("a", "b", "c", "d"))
    assert (reader.number(*items["a"]), reader.number(*items["b"]), reader.number(*items["c"])) == (3, 0.5, -1)
    assert error_of(reader.number, *items["c"], minimum=0) == f"{reader.path}:3: c: expected a number >= 0, got -1"
    assert error_of(reader.number, *items["d"]) == f"{reader.path}:4: d: expected a number, got str 'high'"


# --- arXiv categories and descriptions -------------------------------------------------------------


@pytest.mark.parametrize("category", ["cs.CL", "eess.AS", "astro-ph.CO", "hep-th", "q-bio", "q-bio.NC", "math.OC"])
def test_arxiv_categories_and_archives_pass(category):
    assert check_arxiv_category(category) is None


@pytest.mark.parametrize("value", ["CS AI", "cs.CL ", "cs.", "-cs.CL", "cs.-CL", "cs.CL.x", "cs CL", "3d"])
def test_other_texts_are_not_arxiv_categories(value):
    assert check_arxiv_category(value) == "is not an arXiv category (like cs.CL or hep-th)"


def test_describe_says_what_a_node_is(tmp_path):
    reader, root = read(tmp_path, "a: {b: 1}\nc: [1]\nd: 1.5\ne: text\n")
    items = reader.mapping(root, "", ("a", "c", "d", "e"))
    assert [describe(items[name][0]) for name in "acde"] == ["a mapping", "a list", "float '1.5'", "str 'text'"]
