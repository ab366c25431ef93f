"""`make lint-deploy` (scripts/lint_deploy.sh) accepts deploy/ and rejects broken
copies: each linter really runs and really fails (make test-cluster runs this)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.stack import ROOT

TOOLS = ROOT / "build" / "tools-venv" / "bin"


@pytest.fixture(scope="module", autouse=True)
def tools():
    subprocess.run(["make", "-s", "build/tools-venv/.installed"], cwd=ROOT, check=True)


def lint(deploy_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "scripts" / "lint_deploy.sh")], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, DEPLOY_DIR=str(deploy_dir)), timeout=300)


def broken(tmp_path: Path, relative: str, old: str, new: str) -> Path:
    copy = tmp_path / "deploy"
    shutil.copytree(ROOT / "deploy", copy)
    path = copy / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def test_the_committed_artefacts_pass():
    result = lint(ROOT / "deploy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 checks passed" in result.stdout


@pytest.mark.parametrize("relative, old, new, expect", [
    ("Dockerfile", "USER 10001:10001", "USER root", "DL3002"),                     # hadolint
    ("Dockerfile", "RUN mkdir -p /var/lib/werk", "RUN apt-get update && mkdir -p /var/lib/werk",
     "DL3009"),                                                                   # hadolint
    ("Dockerfile", "COPY --from=build /opt/venv /opt/venv", "COPY --from=build /app/build/spacy /opt/venv",
     "virtualenv from the build stage"),                                          # our rule
    ("k8s/web.yaml", "  replicas: 2", "  replica: 2", "replica"),                   # strict schema
    ("k8s/rasa.yaml", "containerPort: 5005", "containerPort: five", "five"),        # wrong type
    ("compose.yaml", "    restart: unless-stopped\n\n  redis:", "    restarts: always\n\n  redis:",
     "restarts"),                                                                 # compose schema
    ("nginx/nginx.compose.conf", "keepalive 32;", "keepalive;", "keepalive"),      # nginx -t
])
def test_a_broken_artefact_fails(tmp_path, relative, old, new, expect):
    result = lint(broken(tmp_path, relative, old, new))
    assert result.returncode != 0
    assert expect in result.stdout + result.stderr


def test_nginx_renderings_are_fresh_and_share_the_web_chat_text():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from nginx_conf import UNAVAILABLE_TEXT, main

    from bot.web.chat import UNAVAILABLE_TEXT as chat_text

    assert UNAVAILABLE_TEXT == chat_text   # nginx answers as the web app does
    assert main(["check"]) == 0
