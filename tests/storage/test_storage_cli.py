"""python -m bot.runtime.cli: settings come from the environment (DATABASE_URL set by db_url)."""
import io
import json
import subprocess
import sys

import pytest

from bot.runtime import cli
from bot.storage.repository import Repository
from tests.storage import backends


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from bot.storage import db as _db
    return ScriptDirectory.from_config(_db.alembic_config("sqlite://")).get_current_head()


def run(capsys, *argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_end_to_end(db_url, capsys, monkeypatch):
    assert run(capsys, "migrate")[0] == 0
    repo = Repository(db_url)

    code, out, _ = run(capsys, "create-user", "anna", "--password-stdin",
                       stdin="een lang wachtwoord\n", monkeypatch=monkeypatch)
    assert code == 0 and repo.verify_password("anna", "een lang wachtwoord")
    code, _, err = run(capsys, "create-user", "bert", "--password-stdin", stdin="kort\n",
                       monkeypatch=monkeypatch)
    assert code == 1 and "minstens" in err

    code, out, err = run(capsys, "create-token", "epd")
    token = out.strip()
    assert code == 0 and repo.verify_token(token) == "epd" and "niet opnieuw" in err
    code, out, _ = run(capsys, "list-tokens")
    assert "epd" in out and token not in out
    assert run(capsys, "revoke-token", "epd")[0] == 0
    assert repo.verify_token(token) is None
    assert run(capsys, "revoke-token", "nope")[0] == 1

    code, out, _ = run(capsys, "retention", "--days", "30")
    assert code == 0 and "Bewaartermijn 30 dagen" in out
    code, out, _ = run(capsys, "flush-outbox")
    assert code == 0 and "0 opgeslagen" in out
    assert run(capsys, "deactivate-user", "anna")[0] == 0
    assert not repo.verify_password("anna", "een lang wachtwoord")


def test_cli_runs_as_module(db_url, tmp_path):
    env = {"DATABASE_URL": db_url, "WERK_DATA_DIR": str(tmp_path / "data"),
           "RASA_TELEMETRY_ENABLED": "false", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "bot.runtime.cli", "migrate"], cwd=backends.REPO_ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert head_revision() in result.stdout


def test_export_fhir_questionnaire(capsys, tmp_path):
    pytest.importorskip("bot.report.fhir", reason="waits for bot/report/fhir.py (other engineer)")
    code, out, _ = run(capsys, "export-fhir-questionnaire")
    assert code == 0 and json.loads(out)["resourceType"] == "Questionnaire"
    target = tmp_path / "q.json"
    assert run(capsys, "export-fhir-questionnaire", "-o", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["resourceType"] == "Questionnaire"
