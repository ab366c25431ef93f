"""Rasa processes for the benchmark: timed training (ours, into a temp dir) and the
framework floor: a bare `rasa init` moodbot served with `rasa run` (REST channel)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv" / "bin" / "rasa"
sys.path.insert(0, str(ROOT))

from tests.support.stack import free_port  # noqa: E402


def base_env(cache_dir: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT),
                "TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                # an empty cache: a full training, and the project's .rasa/ stays untouched
                "RASA_CACHE_DIRECTORY": str(cache_dir)})
    return env


def timed_run(args: List[str], cwd: Path, env: Dict[str, str], log: Path,
              timeout_s: float) -> Dict[str, float]:
    """Run a command; wall seconds, CPU seconds (user + system; more than the wall time
    when several cores work, noticeably less when the machine is busy with other work)
    and peak RSS (ru_maxrss of the process, MB)."""
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        deadline = started + timeout_s
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                raise RuntimeError(f"{args[1]} did not finish in {timeout_s}s (log: {log})")
            time.sleep(0.2)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed ({code}):\n{log.read_text()[-3000:]}")
    return {"seconds": round(seconds, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def train_ours(workdir: Path, timeout_s: float = 1800) -> Dict[str, float]:
    """A full training of the project (`--force`, empty cache) into ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    args = [str(RASA), "train", "--fixed-model-name", "bench", "--out", str(workdir),
            "--force", "--quiet"]
    out = timed_run(args, ROOT, base_env(workdir / "cache"), workdir / "train.log", timeout_s)
    model = workdir / "bench.tar.gz"
    out["model_mb"] = round(model.stat().st_size / 2**20, 1)
    return out


class Moodbot:
    """`rasa init --no-prompt` (which trains the moodbot) and `rasa run` on a free port."""

    def __init__(self, workdir: Path):
        self.dir = workdir
        self.port = free_port()
        self.proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def create(self, timeout_s: float = 1200) -> Dict[str, float]:
        self.dir.mkdir(parents=True, exist_ok=True)
        out = timed_run([str(RASA), "init", "--no-prompt", "--init-dir", str(self.dir)], self.dir,
                        base_env(self.dir / ".rasa" / "cache"), self.dir / "init.log", timeout_s)
        # Only the REST channel (rasa init also lists the Rasa X/Enterprise channel).
        (self.dir / "credentials.yml").write_text("rest:\n", encoding="utf-8")
        return out

    def model(self) -> Path:
        models = sorted((self.dir / "models").glob("*.tar.gz"))
        if not models:
            raise RuntimeError(f"rasa init produced no model in {self.dir / 'models'}")
        return models[-1]

    def start(self, timeout_s: float = 240) -> None:
        log = open(self.dir / "run.log", "ab")
        self.proc = subprocess.Popen(
            [str(RASA), "run", "--model", str(self.model()), "--credentials", "credentials.yml",
             "--endpoints", "endpoints.yml", "--interface", "127.0.0.1", "--port", str(self.port)],
            cwd=self.dir, env=base_env(self.dir / ".rasa" / "cache"), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moodbot exited:\n{(self.dir / 'run.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/webhooks/rest/", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"moodbot not ready after {timeout_s}s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
