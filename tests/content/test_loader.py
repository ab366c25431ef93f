"""The one content loader (bot/content/loader.py) and the one error type, ContentError."""
import ast
import re
from pathlib import Path

import pytest
import yaml

from bot import content
from bot.content import CONTENT_DIR, ContentError, loader

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"

# Modules outside bot/content/ that parse YAML themselves, and why: none of them reads
# a content file (the scan below checks that too).
OWN_YAML = {
    "bot/dialogue/interpret/mixed.py": "NLU training data (data/nlu/faq), not content",
    "bot/knowledge/safety_classifier.py": "NLU training data (data/nlu), not content",
    "bot/runtime/rasa_endpoints.py": "Rasa's endpoints.yml template, not content",
}
PARSERS = {"yaml.safe_load", "yaml.load", "yaml.full_load", "yaml.unsafe_load", "json.load"}
READERS = {"open", "read_text", "read_bytes", "load", "safe_load", "full_load"}


# --------------------------------------------------------------------------- the loader

def test_load_resolves_names_from_the_package_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert content.path("safety") == CONTENT_DIR / "safety.yml"
    assert content.path("faq/employer") == CONTENT_DIR / "faq" / "employer.yml"
    assert content.path("summary.schema.json") == CONTENT_DIR / "summary.schema.json"
    assert "categories" in content.load("safety")
    assert content.load("summary.schema.json")["$id"] == "summary.schema.json"


def test_each_file_is_parsed_once():
    content.reload()
    first = content.load("scope")
    misses = loader._parse.cache_info().misses
    assert content.load("scope") is first
    assert content.load("scope.yml") is first
    assert content.load(CONTENT_DIR / "scope.yml") is first
    assert loader._parse.cache_info().misses == misses


def test_a_changed_file_is_parsed_again(tmp_path):
    f = tmp_path / "x.yml"
    f.write_text("a: 1\n", encoding="utf-8")
    assert content.load(f) == {"a": 1}
    f.write_text("a: 22\n", encoding="utf-8")  # another size: another version
    assert content.load(f) == {"a": 22}


def test_load_dir_gives_every_file_of_a_folder_by_name():
    faq_files = content.load_dir("faq")
    assert list(faq_files) == sorted(p.name for p in (CONTENT_DIR / "faq").glob("*.yml"))
    assert all("topics" in data for data in faq_files.values())


def test_files_lists_every_yaml_file_relative_to_the_root():
    names = content.files()
    assert "questions.yml" in names and "faq/employer.yml" in names
    assert names == sorted(n for n in names if n.endswith(".yml")) + [n for n in names if n.endswith(".yaml")]


# --------------------------------------------------------------------------- ContentError

def test_missing_file_names_the_file():
    with pytest.raises(ContentError, match=r"^nope\.yml: file not found") as info:
        content.load("nope")
    assert info.value.file == "nope.yml" and info.value.problem.startswith("file not found")


def test_invalid_yaml_names_the_file_and_the_line(tmp_path):
    bad = tmp_path / "broken.yml"
    bad.write_text("a: 1\nb: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^broken\.yml: not valid YAML at line \d+, column \d+"):
        content.load(bad)


def test_invalid_json_names_the_file(tmp_path):
    bad = tmp_path / "schema.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^schema\.json: not valid JSON"):
        content.load(bad)


@pytest.mark.parametrize("body, found", [("", "nothing"), ("- a\n- b\n", "a list"), ("just text\n", "a str")])
def test_the_top_level_must_be_a_mapping(tmp_path, body, found):
    f = tmp_path / "flat.yml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(ContentError, match=rf"^flat\.yml: the top level must be a mapping .* found {found}$"):
        content.load(f)


def test_names_outside_the_package_are_refused():
    with pytest.raises(ContentError, match="not a file in bot/content/"):
        content.path("../config")


def test_require_names_file_place_and_key():
    with pytest.raises(ContentError, match=r"^scope\.yml: rephrase: missing key 'nope'$"):
        content.require({"a": 1}, "nope", "scope", "rephrase")
    assert content.require({"a": 1}, "a", "scope") == 1


def test_content_error_is_the_one_error_type():
    from bot.knowledge import faq

    assert faq.ContentError is ContentError
    assert issubclass(ContentError, ValueError)  # callers that caught ValueError still do
    assert str(ContentError("signals.yml", "missing sources_nl")) == "signals.yml: missing sources_nl"


def test_unknown_message_key_is_a_content_error():
    with pytest.raises(ContentError, match=r"^messages\.yml: missing key 'no_such_message'"):
        content.message("no_such_message")


def test_modules_raise_content_error_with_their_file(tmp_path, monkeypatch):
    from bot.knowledge import safety, scope

    bad = tmp_path / "safety.yml"
    bad.write_text(yaml.safe_dump({"categories": [{"id": "weather", "patterns": []}], "messages": {}}),
                   encoding="utf-8")
    monkeypatch.setattr(safety, "SAFETY_FILE", bad)
    safety._rules.cache_clear()
    try:
        with pytest.raises(ContentError, match=r"^safety\.yml: unknown crisis category 'weather'"):
            safety.detect_crisis("hallo")
    finally:
        monkeypatch.undo()
        safety._rules.cache_clear()

    empty = tmp_path / "scope.yml"
    empty.write_text("out_of_scope: {}\n", encoding="utf-8")
    monkeypatch.setattr(scope, "SCOPE_FILE", empty)
    scope._data.cache_clear()
    try:
        with pytest.raises(ContentError, match=r"^scope\.yml: missing key 'human_contact'"):
            scope.human_contact_messages("home")
    finally:
        monkeypatch.undo()
        scope._data.cache_clear()


def test_review_records_are_checked_with_content_error(tmp_path):
    from bot.review import content_review

    records = tmp_path / "reviews.yml"
    records.write_text("reviews:\n  'x.yml:a': {hash: h, reviewer: r, date: d, state: misschien}\n",
                       encoding="utf-8")
    with pytest.raises(ContentError, match=r"^reviews\.yml: record 'x\.yml:a' has unknown state 'misschien'"):
        content_review.load_records(records)


# --------------------------------------------------------------------------- only via the loader

def _modules():
    for path in sorted(BOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if not rel.startswith("bot/content/"):
            yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _content_file_names():
    return {p.name for p in CONTENT_DIR.rglob("*") if p.suffix in (".yml", ".yaml", ".json")}


def _content_bound_names(tree):
    """Module-level names assigned from the content folder (CONTENT_DIR / ..., content.path)."""
    names = {"CONTENT_DIR", "content_dir"}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            source = ast.unparse(node.value)
            if "CONTENT_DIR" in source or "content.path" in source or "'content'" in source:
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _call_name(call):
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return f"{owner}.{func.attr}" if owner else func.attr
    return ""


def test_no_module_outside_bot_content_reads_a_content_file_itself():
    files = _content_file_names()
    problems = []
    for rel, tree in _modules():
        bound = _content_bound_names(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _call_name(call)
            if name in PARSERS and rel not in OWN_YAML:
                problems.append(f"{rel}:{call.lineno}: parses a file itself ({name}); use bot.content.load")
            if name.split(".")[-1] not in READERS or name.startswith("content."):
                continue
            source = ast.unparse(call)
            if any(re.search(rf"\b{re.escape(n)}\b", source) for n in bound) or any(f in source for f in files):
                problems.append(f"{rel}:{call.lineno}: reads a content file without the loader: {source[:80]}")
    assert not problems, "\n".join(problems)


def test_modules_that_parse_yaml_themselves_read_no_content():
    for rel, reason in OWN_YAML.items():
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert "not content" in reason
        assert "CONTENT_DIR" not in text and '"content"' not in text, rel


def test_the_scan_finds_a_module_that_reads_content_itself(tmp_path):
    """The scan is not vacuous: a module like the old safety.py is caught."""
    fake = tmp_path / "bot" / "knowledge"
    fake.mkdir(parents=True)
    (fake / "old.py").write_text(
        "import yaml\nfrom pathlib import Path\n"
        "SAFETY_FILE = Path(__file__).resolve().parents[1] / \"content\" / \"safety.yml\"\n"
        "def rules():\n    return yaml.safe_load(SAFETY_FILE.read_text(encoding='utf-8'))\n",
        encoding="utf-8")
    globals_backup = (globals()["ROOT"], globals()["BOT"])
    globals()["ROOT"], globals()["BOT"] = tmp_path, tmp_path / "bot"
    try:
        with pytest.raises(AssertionError) as info:
            test_no_module_outside_bot_content_reads_a_content_file_itself()
    finally:
        globals()["ROOT"], globals()["BOT"] = globals_backup
    assert "parses a file itself (yaml.safe_load)" in str(info.value)
    assert "reads a content file without the loader" in str(info.value)
