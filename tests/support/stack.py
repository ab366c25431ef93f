"""Start the real assistant (action server, Rasa server, the patient web app and the
care-team web app) on free localhost ports (or ports from a base: ``port_base``) with
its own data directory and its own action-server secret, for end-to-end, browser, load,
fault and security tests."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Type

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "werk-intake.tar.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: Any = None, headers: Optional[Dict[str, str]] = None,
         timeout: float = 30.0):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers


@dataclass
class Stack:
    data_dir: Path
    database_url: Optional[str] = None
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    careteam_port: int = field(default_factory=free_port)
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    extra_env: Dict[str, str] = field(default_factory=dict)
    procs: Dict[str, subprocess.Popen] = field(default_factory=dict)

    @classmethod
    def on_ports(cls, data_dir: Path, base: int, **kwargs: Any) -> "Stack":
        """A stack on base+0 (Rasa), +1 (actions), +2 (patient web), +3 (care-team web)."""
        return cls(data_dir, rasa_port=base, action_port=base + 1, web_port=base + 2,
                   careteam_port=base + 3, **kwargs)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def careteam_url(self) -> str:
        return f"http://127.0.0.1:{self.careteam_port}"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'werkintake.db'}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def env(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.update({
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
            "SANIC_HOST": "127.0.0.1",
            "WERK_DATA_DIR": str(self.data_dir),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "WEB_PORT": str(self.web_port),
            "CARETEAM_PORT": str(self.careteam_port),
            "ACTION_SERVER_TOKEN": self.action_token,
            "SANIC_REQUEST_MAX_SIZE": "1048576",
            "RASA_URL": self.rasa_url,
            "ACTION_ENDPOINT_URL": f"{self.action_url}/webhook",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        })
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    def write_endpoints(self) -> Path:
        out = subprocess.run([str(VENV_BIN / "python"), "-m", "bot.runtime.rasa_endpoints"], cwd=ROOT, env=self.env(),
                             capture_output=True, text=True, check=True).stdout
        return Path(out.strip())

    def cli(self, *args: str, stdin: Optional[str] = None) -> str:
        return subprocess.run([str(VENV_BIN / "python"), "-m", "bot.runtime.cli", *args], cwd=ROOT, env=self.env(),
                              input=stdin, capture_output=True, text=True, check=True).stdout

    # -- processes -------------------------------------------------------------------
    def start(self, *, web: bool = True) -> "Stack":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.cli("migrate")
        self.start_actions()
        self.start_rasa()
        if web:
            self.start_web()
        self.wait_ready()
        return self

    def _spawn(self, name: str, args: List[str]) -> None:
        log = open(self.data_dir / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(args, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def start_actions(self) -> None:
        self._spawn("actions", [str(VENV_BIN / "python"), "-m", "bot.runtime.action_server", "--actions", "actions",
                                "--port", str(self.action_port)])

    def start_rasa(self) -> None:
        self._spawn("rasa", [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL),
                             "--endpoints", str(self.write_endpoints()),
                             "--credentials", "credentials.yml", "--interface", "127.0.0.1",
                             "--port", str(self.rasa_port)])

    def start_web(self) -> None:
        self._spawn("web", [str(VENV_BIN / "python"), "-m", "bot.web"])
        self._spawn("careteam", [str(VENV_BIN / "python"), "-m", "bot.web", "careteam"])

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)

    def wait_ready(self, timeout: float = 240.0) -> None:
        checks = {"actions": f"{self.action_url}/health", "rasa": f"{self.rasa_url}/",
                  "web": f"{self.web_url}/healthz", "careteam": f"{self.careteam_url}/healthz"}
        deadline = time.time() + timeout
        for name, url in checks.items():
            if name not in self.procs:
                continue
            while True:
                if self.procs[name].poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{self.log(name)[-3000:]}")
                try:
                    if http("GET", url, timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                if time.time() > deadline:
                    raise RuntimeError(f"{name} not ready after {timeout}s:\n{self.log(name)[-3000:]}")
                time.sleep(0.5)

    def log(self, name: str) -> str:
        path = self.data_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- talking -------------------------------------------------------------------------
    def send(self, sender: str, message: str, metadata: Optional[Dict[str, Any]] = None,
             timeout: float = 60.0) -> List[Dict[str, Any]]:
        body: Dict[str, Any] = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        status, raw, _ = http("POST", f"{self.rasa_url}/webhooks/rest/webhook", body, timeout=timeout)
        if status != 200:
            raise AssertionError(f"REST status {status}: {raw[:500]!r}")
        return json.loads(raw)


def wait_until(predicate, timeout: float = 30.0, step: float = 0.3) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds passed; its last value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def question_id(replies: List[Dict[str, Any]]) -> Optional[str]:
    ids = [m["custom"]["question_id"] for m in replies if isinstance(m.get("custom"), dict)
           and "question_id" in m["custom"]]
    return ids[-1] if ids else None


def custom_value(replies: List[Dict[str, Any]], key: str) -> Any:
    for m in replies:
        if isinstance(m.get("custom"), dict) and key in m["custom"]:
            return m["custom"][key]
    return None


@contextmanager
def running_stack(data_dir: Path, stack_class: Type[Stack] = Stack, *, port_base: Optional[int] = None,
                  extra_env: Optional[Dict[str, str]] = None, **start_options: Any) -> Iterator[Stack]:
    """A started stack for a test fixture; stopped afterwards whatever happens."""
    import pytest

    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first (make test does)")
    kwargs: Dict[str, Any] = {"extra_env": dict(extra_env or {})}
    stack = (stack_class.on_ports(data_dir, port_base, **kwargs) if port_base
             else stack_class(data_dir, **kwargs))
    try:
        stack.start(**start_options)
        yield stack
    finally:
        stack.stop_all()
