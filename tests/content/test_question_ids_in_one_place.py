"""One place per question: no code outside bot/content/ and tests/ names a question id.

Everything code needs to know about a question (summary field, unit, parser, answer
text, FHIR role, ...) is a key of that question in bot/content/questions.yml
(docs/content.md "Question keys"); code reads those keys. This test scans every tracked
*.py, *.js, *.html, *.sh, *.yml and *.yaml file outside bot/content/ and tests/ for each
question id:

- Python: a name (identifier, attribute, keyword argument) equal to an id, or a string
  literal equal to an id or holding it in quotes (``"absence"``, ``f"... 'absence' ..."``).
  Comments and prose in docstrings are not code and are not scanned.
- other files: the id as a whole word outside comment lines (``#``, ``//``, ``<!--``,
  ``{#``), quoted or not (``.get("absence")``, ``work.absence``, ``absence:``).

Allowed:
- generated text, rewritten from the content: a whole file whose first lines say
  "generated from bot/content/questions.yml" (the markers file), or a generated section
  of a hand-written file (domain.yml's slots): from a comment line with that phrase to
  a line saying "end of generated" (or the end of the file);
- Rasa training data (data/nlu, data/stories, data/rules): examples and conversations,
  not code; Rasa validates the slots and intents they name against domain.yml, whose
  slots are generated from questions.yml, so a renamed id fails `rasa data validate`
  rather than drifting silently;
- docs/: prose about the questions (and the generated content review);
- tests/ (fixtures and expectations name ids on purpose, e.g. the scripted bench
  conversations in tests/fixtures/bench_conversations.yml).
"""
from __future__ import annotations

import io
import re
import subprocess
import tokenize
from pathlib import Path
from typing import Iterable, List, Set, Tuple

import pytest

from bot import content

ROOT = Path(__file__).resolve().parents[2]
EXTENSIONS = (".py", ".js", ".html", ".sh", ".yml", ".yaml")
ALLOWED_DIRS = ("bot/content/", "tests/", "data/nlu/", "data/stories/", "data/rules/", "docs/")
GENERATED_HEADER = "generated from bot/content/questions.yml"
HEADER_LINES = 5
_END_GENERATED = re.compile(r"end of generated", re.IGNORECASE)

Hit = Tuple[int, str]


def is_generated(text: str) -> bool:
    """A wholly generated file: the header in its first lines and no end-of-section marker."""
    head = "\n".join(text.splitlines()[:HEADER_LINES]).lower()
    return GENERATED_HEADER in head and not _END_GENERATED.search(text)


def python_hits(text: str, ids: Set[str]) -> List[Hit]:
    """(line, id) for every name or string literal in Python source that names an id."""
    hits: List[Hit] = []
    quoted = re.compile(r"""(?<![\w])["'](%s)["'](?![\w])""" % "|".join(map(re.escape, sorted(ids))))
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [(0, "<unparsable python>")]
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string in ids:
            hits.append((tok.start[0], tok.string))
        elif tok.type == tokenize.STRING:
            body = re.sub(r"^[rbuf]*('''|\"\"\"|'|\")|('''|\"\"\"|'|\")$", "", tok.string, flags=re.I)
            if body in ids:
                hits.append((tok.start[0], body))
            hits += [(tok.start[0], m.group(1)) for m in quoted.finditer(body)]
    return hits


_COMMENT = re.compile(r"^\s*(#|//|<!--|\{#|\*|/\*)")


def other_hits(text: str, ids: Set[str]) -> List[Hit]:
    """(line, id) for every whole-word id outside comment lines (js, html, sh, yml)."""
    word = re.compile(r"(?<![\w-])(%s)(?![\w-])" % "|".join(map(re.escape, sorted(ids))))
    hits: List[Hit] = []
    for number, line in enumerate(text.splitlines(), 1):
        if _COMMENT.match(line):
            continue
        code = re.sub(r"\s#\s.*$", "", line)  # a trailing yaml/shell comment
        hits += [(number, m.group(1)) for m in word.finditer(code)]
    return hits


def without_generated_sections(text: str) -> str:
    """The text with each generated section blanked (line numbers kept)."""
    out, inside = [], False
    for line in text.splitlines():
        if not inside and GENERATED_HEADER in line.lower():
            inside = True
        elif inside and _END_GENERATED.search(line):
            inside = False
            out.append("")
            continue
        out.append("" if inside else line)
    return "\n".join(out) + "\n"


def scan_file(path: str, text: str, ids: Set[str]) -> List[Hit]:
    if is_generated(text):
        return []
    text = without_generated_sections(text)
    return python_hits(text, ids) if path.endswith(".py") else other_hits(text, ids)


def scanned_files(paths: Iterable[str]) -> List[str]:
    return [p for p in paths if p.endswith(EXTENSIONS) and not p.startswith(ALLOWED_DIRS)]


def tracked_files() -> List[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [p for p in out.stdout.decode().split("\0") if p]


def question_ids() -> Set[str]:
    return {q["id"] for q in content.questions()}


# ----------------------------------------------------------------------------- the rule

def test_no_question_id_is_named_outside_content_and_tests():
    ids = question_ids()
    found = []
    for path in scanned_files(tracked_files()):
        file = ROOT / path
        if not file.is_file():
            continue  # deleted in the work tree
        text = file.read_text(encoding="utf-8", errors="replace")
        found += [f"{path}:{line}: {qid}" for line, qid in scan_file(path, text, ids)]
    assert not found, ("question ids named outside bot/content/ (put what the code needs in "
                       "questions.yml, see docs/content.md):\n" + "\n".join(found))


# ----------------------------------------------------------------------------- the scanner

IDS = {"absence", "hours_per_week"}


@pytest.mark.parametrize("source", [
    'x = answers.get("absence")\n',
    "x = answers['hours_per_week']\n",
    'def f(absence):\n    return absence\n',
    "x = work.absence\n",
    'x = f"{a} \'absence\' {b}"\n',
    'x = dict(hours_per_week=3)\n',
])
def test_scanner_finds_ids_in_python(source):
    assert python_hits(source, IDS)


@pytest.mark.parametrize("source", [
    "# the absence question\nx = 1\n",
    'def f():\n    """How long the absence lasted."""\n',
    'x = "absences"\ny = absence_weeks\n',
    'x = "hours-per-week"\n',
])
def test_scanner_ignores_comments_prose_and_longer_words(source):
    assert python_hits(source, IDS) == []


def test_scanner_finds_ids_in_other_files():
    assert other_hits('{% set w = body.get("absence") %}\n', IDS)
    assert other_hits("slots:\n  hours_per_week:\n    type: float\n", IDS)
    assert other_hits("# hours_per_week\n<!-- absence -->\nhours-per-week: 1\n", IDS) == []


def test_generated_files_are_allowed_only_with_the_header():
    body = "slots:\n  absence:\n    type: text\n"
    assert scan_file("domain.yml", body, IDS)
    assert scan_file("domain.yml", "# Generated from bot/content/questions.yml; do not edit.\n" + body, IDS) == []


def test_a_generated_section_is_allowed_and_the_rest_still_scanned():
    text = ("version: '3.1'\nintents: [inform]\n"
            "# generated from bot/content/questions.yml (slots)\nslots:\n  absence:\n    type: text\n"
            "# end of generated slots\nactions: [hours_per_week]\n")
    assert scan_file("domain.yml", text, IDS) == [(8, "hours_per_week")]
    unterminated = "a: 1\n# generated from bot/content/questions.yml\nslots: [absence]\n"
    assert scan_file("domain.yml", unterminated, IDS) == []


def test_only_code_outside_content_tests_and_training_data_is_scanned():
    paths = ["bot/report/summary.py", "bot/content/questions.yml", "tests/x.py", "data/nlu/a.yml",
             "bot/web/static/chat.js", "docs/content.md", "README.md", "domain.yml", "scripts/run.sh"]
    assert scanned_files(paths) == ["bot/report/summary.py", "bot/web/static/chat.js", "domain.yml",
                                    "scripts/run.sh"]
