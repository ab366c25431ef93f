"""The web pages' texts live in bot/content/ (web.yml, careteam.yml), not in code:
templates keep structure, the chat's script gets its texts from the page, the Python
modules of bot/web/ read them through the loader, and the plain-language check and the
content review cover them."""
import ast
import json
import re
from pathlib import Path

import pytest

from bot import content
from bot.language import readability
from bot.review import content_review
from bot.web import texts

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "bot" / "web"
TEMPLATES = WEB / "templates"
SCRIPTS = sorted((WEB / "static").rglob("*.js"))
FILES = ("web.yml", "careteam.yml")

# Text left in templates that is no sentence: a time zone, a dash for "none", and the
# literal paths and fragments shown inside <code>.
TEMPLATE_LEFTOVERS = {"UTC", "–", "/kiosk/inschrijven", "#sleutel="}
# Dutch strings of bot/web/*.py that are no page text: details of audit records (stored
# data, shown as recorded) and the default name of a tablet.
PY_LEFTOVERS = {"door zorgteam", "door patiënt", "eigen kopie", "html-pagina", "geweigerd: te veel pogingen",
                "mislukt", "gelukt", "alle", "tablet", "uitnodiging"}


def _strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


# Words that make a string Dutch prose (a string needs two of them, or to start like a
# sentence or label: a capital and small letters, as "Ja" and "Kies een datum").
DUTCH_WORDS = {"u", "uw", "een", "de", "het", "van", "tot", "niet", "kan", "kunt", "of", "en", "is", "typ",
               "kies", "dan", "zo", "als", "nog", "deze", "dit", "er", "mag", "wordt", "met", "voor"}
# HTTP headers and values, FHIR resource types, key names of the browser.
TECHNICAL = {"Content-Type", "Accept", "AbortError", "Enter", "Pragma", "Location", "Strict", "Bundle",
             "Questionnaire", "Task"}


def looks_dutch(s):
    """True for a string that reads as Dutch text for a person."""
    s = s.strip()
    if not s or s in TECHNICAL:
        return False
    words = re.findall(r"[A-Za-zÀ-ÿ]+", s)
    if sum(w.lower() in DUTCH_WORDS for w in words) >= 2:
        return True
    return bool(re.match(r"^[A-Z][a-zà-ÿ]+(?:[ ,.:;!?…]|$)", s)) and not re.search(r"[_/{}<>=]", s)


def test_the_dutch_detector_finds_the_texts_that_were_in_code():
    for old in ("Ja", "Nee", "Verder", "Kies een datum", "0 = kan niet werken", "Even geduld…",
                "Uw bericht is te lang. Gebruik maximaal ", "Typ uw antwoord"):
        assert looks_dutch(old), old
    for technical in ("btn btn-option", "msg msg-", "who visually-hidden", "Content-Type", "button, input",
                      "application/json", "nl-NL", "date_or_duration", "AbortError", "chat.errors.empty"):
        assert not looks_dutch(technical), technical


# --------------------------------------------------------------------------- templates

def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def _references(source):
    """(dotted path from t or ct) of every text a template reads, through its aliases."""
    aliases = {"t": "t", "ct": "ct"}
    for name, target in re.findall(r"{%-?\s*set\s+(\w+)\s*=\s*((?:ct|t)(?:\.\w+)+)\s*-?%}", source):
        aliases[name] = target
    for name, rest in re.findall(r"(?<![\w.])(\w+)((?:\.\w+)+)", source):
        if name in aliases:
            yield aliases[name] + rest


def _resolve(path):
    root, *parts = path.split(".")
    node = texts.web() if root == "t" else texts.careteam()
    for part in parts:
        if isinstance(node, str) and part in ("format", "split"):
            return node
        if isinstance(node, dict) and part == "get":
            return node
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_every_text_a_template_reads_exists(template):
    source = template.read_text(encoding="utf-8")
    for path in _references(source):
        assert isinstance(_resolve(path), (str, list, dict)), path


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_templates_hold_no_sentences(template):
    source = template.read_text(encoding="utf-8")
    source = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"<[^>]+>", " ", source)
    left = [w for w in source.split() if w.strip("()[]:;,.") not in TEMPLATE_LEFTOVERS and re.search(r"[A-Za-zÀ-ÿ]", w)]
    assert not left, f"{template.name}: text in the template, not in bot/content/: {left}"


def test_the_pages_render_the_content(monkeypatch):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined)
    env.filters["localtime"] = lambda dt, fmt: dt.strftime(fmt)
    env.globals.update(t=texts.web(), ct=texts.careteam())
    html = env.get_template("careteam/login.html").render(user=None, message=None, error=None, username="",
                                                          csrf_token="x")
    assert texts.careteam_text("login.heading") in html and texts.careteam_text("login.button") in html
    html = env.get_template("patient/open.html").render(summary_id="s1", csrf_token="x")
    before, after = texts.web_text("patient.open.key_label").split("{fragment}")
    assert f"{before}<code>#sleutel=</code>{after}" in html


# --------------------------------------------------------------------------- the chat's script

def _js_literals(path):
    source = path.read_text(encoding="utf-8")
    source = re.sub(r"/\*.*?\*/", " ", source, flags=re.S)
    source = re.sub(r"(?m)^\s*//.*$|(?<=[;,{}()])\s*//.*$", " ", source)
    return re.findall(r'"((?:[^"\\]|\\.)*)"', source)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_scripts_hold_no_dutch_text(script):
    dutch = [s for s in _js_literals(script) if looks_dutch(s)]
    assert not dutch, f"{script.name}: Dutch text in the script, not in bot/content/web.yml: {dutch}"


def test_the_scripts_read_only_texts_the_page_sends():
    used = set()
    for script in SCRIPTS:
        used |= set(re.findall(r'\b(?:text|tx)\("(\w+)"', script.read_text(encoding="utf-8")))
        for a, b in re.findall(r'\b(?:text|tx)\(\w+ \? "(\w+)" : "(\w+)"', script.read_text(encoding="utf-8")):
            used |= {a, b}
    sent = texts.client_texts()
    assert used and used <= set(sent), sorted(used - set(sent))
    assert {"unavailable", "too_long", "answer_label", "retry"} <= used


def test_the_chat_page_sends_its_texts(monkeypatch):
    """The chat page's data-texts attribute is the chat.client texts of web.yml."""
    from bot.web import chat

    html = _render_chat_page(chat)
    raw = re.search(r'data-texts="([^"]*)"', html).group(1)
    import html as html_lib

    assert json.loads(html_lib.unescape(raw)) == texts.client_texts()
    assert texts.web_text("chat.start_button") in html
    for fact in texts.web()["chat"]["home"]["facts"]:
        assert fact in html_lib.unescape(html)


def _render_chat_page(chat):
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(chat.TEMPLATES_DIR)), autoescape=select_autoescape(["html"]))
    return env.get_template("chat/home.html").render(
        asset_version="v", static_prefix=chat.STATIC_PREFIX, api_url=chat.API_PATH, summary_path=chat.SUMMARY_PATH,
        max_chars=chat.MAX_MESSAGE_CHARS, t=texts.web(), client_texts=texts.client_texts_json(),
        mode="home", channel="home", appointment_code="")


def test_proxy_messages_come_from_web_yml():
    from bot.web import chat, limits

    assert chat.UNAVAILABLE_TEXT == texts.web_text("chat.errors.unavailable")
    assert chat.ERROR_TOO_LONG == texts.web_text("chat.errors.too_long", max=chat.MAX_MESSAGE_CHARS)
    assert str(chat.MAX_MESSAGE_CHARS) in chat.ERROR_TOO_LONG
    assert limits.MESSAGE == texts.web_text("limits.too_many")
    assert chat._duration_text(120) == "2 minuten" and chat._duration_text(60) == "1 minuut"
    assert chat._duration_text(45) == "45 seconden"


# --------------------------------------------------------------------------- Python modules

def _py_strings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    logged = {id(a) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
              and n.func.attr in ("debug", "info", "warning", "error", "exception") for a in n.args}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings | logged:
            yield node.lineno, node.value


def test_web_modules_hold_no_dutch_page_text():
    found = []
    for path in sorted(WEB.glob("*.py")):
        for line, s in _py_strings(path):
            if looks_dutch(s) and s.strip() not in PY_LEFTOVERS:
                found.append(f"{path.name}:{line}: {s!r}")
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------- checks cover them

def test_plain_language_check_covers_every_web_text():
    for name in FILES:
        assert name in readability.rules().text_files
        checked = {t for f, _, t, _ in readability.patient_texts() if f == name}
        data = {k: v for k, v in content.load(name).items() if k != "source"}
        assert set(_strings(data)) == checked, name


def test_web_texts_pass_the_plain_language_check():
    verdicts = [v for v in readability.check_all() if v.file in FILES]
    assert len(verdicts) > 150
    assert all(v.ok for v in verdicts), [f"{v.file} {v.key}: {v.problems}" for v in verdicts if not v.ok]


def test_headings_buttons_and_column_heads_are_labels():
    found = {(f, k): lab for f, k, _, lab in readability.patient_texts()}
    assert found[("careteam.yml", "invitations.heading")] is True
    assert found[("careteam.yml", "audit.col_when")] is True
    assert found[("careteam.yml", "summary.row_labels.returning_patient")] is True
    assert found[("careteam.yml", "summary.pdf_heading")] is True
    assert found[("careteam.yml", "summary.disclaimer")] is False  # the summary's sentences: scored
    assert found[("web.yml", "chat.start_button")] is True
    assert found[("web.yml", "patient.not_found")] is False  # a sentence: scored


def test_a_hard_web_text_fails_the_check(tmp_path):
    (tmp_path / "web.yml").write_text(
        'chat:\n  errors:\n    bad_request: "Middels dit formulier verzoeken wij u derhalve de '
        'gegevensverwerkingsovereenkomst conform de geldende regelgeving te retourneren."\n', encoding="utf-8")
    verdicts = readability.check_all(tmp_path)
    assert [v.key for v in verdicts] == ["chat.errors.bad_request"] and not verdicts[0].ok


def test_content_review_lists_the_web_texts():
    ids = {t.id for t in content_review.texts()}
    assert "web.yml:chat.errors.unavailable" in ids and "careteam.yml:login.wrong" in ids
    assert "careteam.yml:summary.disclaimer" in ids  # the care-team summary's texts (one file)
    from bot.review.content_review_doc import _file_title

    assert "web.yml" in _file_title("web.yml") and _file_title("web.yml") != "web.yml (web.yml)"
    assert _file_title("careteam.yml") != "careteam.yml (careteam.yml)"
