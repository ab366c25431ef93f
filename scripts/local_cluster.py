#!/usr/bin/env python
"""The production topology on loopback: nginx as the one entry, N patient web apps,
N Rasa servers, N action servers, PostgreSQL (tracker store and summaries), Redis
(Rasa's lock store) and the care-team app on its own listener.

    scripts/cluster.sh                      # = make cluster; Ctrl-C stops everything
    scripts/cluster.sh --rasa 1 --web 1     # smaller
    CLUSTER_PORT_BASE=7400 (default): every listener is on 127.0.0.1:BASE+n

Ports (BASE+): 0 nginx for patients, 1 nginx → Rasa (sticky by conversation),
2 nginx → action servers, 10.. web apps, 20.. Rasa, 30.. action servers, 40 care-team
app, 50 Redis, 60 PostgreSQL. The same code, the same nginx template
(deploy/nginx/nginx.conf.template) and the same settings as a deployment
(docs/deployment.md); tests/cluster drives it through ``Cluster``.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # nginx_conf
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "werk-intake.tar.gz"
LOCK_LIFETIME_S = 10  # Rasa's ticket lock: a dead server's lock frees after this


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status
    except Exception:  # noqa: BLE001 - not up yet
        return 0


class Cluster:
    def __init__(self, workdir: Path, *, port_base: Optional[int] = None, rasa: int = 2,
                 actions: int = 2, web: int = 2, model: Path = MODEL,
                 extra_env: Optional[Dict[str, str]] = None):
        self.dir = workdir
        self.base = int(port_base or os.environ.get("CLUSTER_PORT_BASE", "7400"))
        self.counts = {"rasa": rasa, "actions": actions, "web": web}
        self.model = model
        self.procs: Dict[str, subprocess.Popen] = {}
        self.extra_env = dict(extra_env or {})
        self.db_url = ""
        self.redis_password = secrets.token_hex(16)
        self.session_secret = os.environ.get("WEB_SESSION_SECRET") or secrets.token_hex(32)
        self.action_token = os.environ.get("ACTION_SERVER_TOKEN") or secrets.token_hex(24)
        self.rasa_in_nginx = list(range(rasa))
        # PostgreSQL runs as an unprivileged user: its directory must not be under a
        # private (0700) temp dir such as pytest's.
        self.pg_dir = Path(tempfile.gettempdir()) / f"werk-cluster-pg-{self.base}"

    # -- addresses ---------------------------------------------------------------------
    def port(self, kind: str, index: int = 0) -> int:
        offsets = {"public": 0, "rasa_router": 1, "actions_router": 2, "web": 10, "rasa": 20,
                   "actions": 30, "careteam": 40, "redis": 50, "postgres": 60}
        return self.base + offsets[kind] + index

    def url(self, kind: str, index: int = 0) -> str:
        return f"http://127.0.0.1:{self.port(kind, index)}"

    @property
    def public_url(self) -> str:
        return self.url("public")

    @property
    def redis_url(self) -> str:
        return f"redis://:{self.redis_password}@127.0.0.1:{self.port('redis')}/1"

    @property
    def data_dir(self) -> Path:
        return self.dir / "data"

    @property
    def log_dir(self) -> Path:
        return self.dir / "logs"

    def names(self, kind: str) -> List[str]:
        return [f"{kind}{i}" for i in range(self.counts[kind])]

    def env(self, **extra: str) -> Dict[str, str]:
        env = dict(os.environ)
        env.update({
            "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT), "SANIC_HOST": "127.0.0.1",
            "WERK_DATA_DIR": str(self.data_dir), "DATABASE_URL": self.db_url,
            "REDIS_URL": self.redis_url, "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_S),
            "RASA_URL": self.url("rasa_router"),
            "ACTION_ENDPOINT_URL": f"{self.url('actions_router')}/webhook",
            "WEB_SKIP_MIGRATE": "1", "TF_CPP_MIN_LOG_LEVEL": "3",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONHASHSEED": "0",
            "WEB_SESSION_SECRET": self.session_secret,
            # the action server's shared secret (checked where the security work is merged)
            "ACTION_SERVER_TOKEN": self.action_token,
            # nginx adds X-Forwarded-For: the web apps see the patient's address (rate limits)
            "SANIC_PROXIES_COUNT": "1",
        })
        env.update(self.extra_env)
        env.update(extra)
        return env

    # -- processes ---------------------------------------------------------------------
    def _spawn(self, name: str, args: List[str], env: Dict[str, str]) -> None:
        log = open(self.log_dir / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def start_postgres(self) -> None:
        env = dict(os.environ, WERK_PG_TEST_DIR=str(self.pg_dir), WERK_PG_PORT=str(self.port("postgres")))
        out = subprocess.run([str(ROOT / "scripts" / "postgres_test_server.sh"), "start"], env=env,
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start:\n{out.stderr[-2000:]}")
        self.db_url = out.stdout.strip()

    def stop_postgres(self) -> None:
        env = dict(os.environ, WERK_PG_TEST_DIR=str(self.pg_dir))
        subprocess.run([str(ROOT / "scripts" / "postgres_test_server.sh"), "stop"], env=env,
                       capture_output=True)

    def start_redis(self) -> None:
        (self.dir / "redis").mkdir(exist_ok=True)
        self._spawn("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port("redis")),
                              "--requirepass", self.redis_password, "--save", "", "--appendonly", "no",
                              "--dir", str(self.dir / "redis")], dict(os.environ))
        self._wait_port("redis", self.port("redis"))

    def start_actions(self, i: int) -> None:
        self._spawn(f"actions{i}", [str(VENV_BIN / "python"), "-m", "bot.runtime.action_server", "--actions",
                                    "actions", "--port", str(self.port("actions", i))],
                    self.env(ACTIONS_OUTBOX_INTERVAL="0"))  # the care-team app flushes the shared outbox

    def start_rasa(self, i: int) -> None:
        self._spawn(f"rasa{i}", [str(VENV_BIN / "rasa"), "run", "--model", str(self.model),
                                 "--endpoints", str(self.endpoints), "--credentials", "credentials.yml",
                                 "--interface", "127.0.0.1", "--port", str(self.port("rasa", i))], self.env())

    def start_web(self, i: int) -> None:
        self._spawn(f"web{i}", [str(VENV_BIN / "python"), "-m", "bot.web"],
                    self.env(WEB_PORT=str(self.port("web", i))))

    def start_careteam(self) -> None:
        # The care team's own listener, not routed by the public nginx. `bot.web careteam`
        # serves only the care-team pages and API where that split exists (CARETEAM_PORT);
        # before it, the same web app on its own port (WEB_PORT).
        port = str(self.port("careteam"))
        self._spawn("careteam", [str(VENV_BIN / "python"), "-m", "bot.web", "careteam"],
                    self.env(WEB_PORT=port, CARETEAM_PORT=port, CARETEAM_HOST="127.0.0.1"))

    def write_nginx_conf(self) -> Path:
        from nginx_conf import UNAVAILABLE_TEXT, render, upstream_lines

        ngx = self.dir / "nginx"
        (ngx / "run").mkdir(parents=True, exist_ok=True)
        local = lambda ports: upstream_lines([f"127.0.0.1:{p}" for p in ports])  # noqa: E731
        conf = render({
            "PREAMBLE": "# Rendered by scripts/local_cluster.py for the loopback cluster.",
            "RUN_DIR": str(ngx / "run"), "RESOLVER": "",
            "ERROR_LOG": str(self.log_dir / "nginx-error.log"),
            "ACCESS_LOG": str(self.log_dir / "nginx-access.log"),
            "PUBLIC_LISTEN": f"127.0.0.1:{self.port('public')}",
            "RASA_LISTEN": f"127.0.0.1:{self.port('rasa_router')}",
            "ACTIONS_LISTEN": f"127.0.0.1:{self.port('actions_router')}",
            "WEB_SERVERS": local([self.port("web", i) for i in range(self.counts["web"])]),
            "RASA_SERVERS": local([self.port("rasa", i) for i in self.rasa_in_nginx]),
            "ACTION_SERVERS": local([self.port("actions", i) for i in range(self.counts["actions"])]),
            "UNAVAILABLE_TEXT": UNAVAILABLE_TEXT,
        })
        if os.geteuid() == 0:  # workers would run as nobody and not write the temp dirs
            conf = "user root;\n" + conf
        path = ngx / "nginx.conf"
        path.write_text(conf, encoding="utf-8")
        return path

    def nginx_args(self, *extra: str) -> List[str]:
        return [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(self.dir / "nginx"),
                "-c", str(self.dir / "nginx" / "nginx.conf"), *extra]

    def start_nginx(self) -> None:
        self.write_nginx_conf()
        check = subprocess.run(self.nginx_args("-t"), capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self._spawn("nginx", self.nginx_args(), dict(os.environ))
        self._wait_port("nginx", self.port("public"))

    def route_rasa_to(self, indices: List[int]) -> None:
        """Only these Rasa servers in nginx's upstream (graceful reload)."""
        self.rasa_in_nginx = list(indices)
        self.write_nginx_conf()
        subprocess.run(self.nginx_args("-s", "reload"), check=True, capture_output=True)
        time.sleep(1.0)  # old workers finish, new ones take over

    def start(self, timeout_s: float = 300) -> "Cluster":
        if not self.model.exists():
            raise RuntimeError(f"{self.model} is missing: run `make train` first")
        for sub in ("data", "logs"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        self.start_postgres()
        subprocess.run([str(VENV_BIN / "python"), "-m", "bot.runtime.cli", "migrate"], cwd=ROOT, env=self.env(),
                       check=True, capture_output=True)
        self.endpoints = Path(subprocess.run(
            [str(VENV_BIN / "python"), "-m", "bot.runtime.rasa_endpoints"], cwd=ROOT, env=self.env(),
            check=True, capture_output=True, text=True).stdout.strip())
        self.start_redis()
        for i in range(self.counts["actions"]):
            self.start_actions(i)
        for i in range(self.counts["rasa"]):
            self.start_rasa(i)
        for i in range(self.counts["web"]):
            self.start_web(i)
        self.start_careteam()
        self.start_nginx()
        self.wait_ready(timeout_s)
        return self

    def health_urls(self) -> Dict[str, str]:
        urls = {"careteam": f"{self.url('careteam')}/readyz"}
        for i in range(self.counts["actions"]):
            urls[f"actions{i}"] = f"{self.url('actions', i)}/readyz"
        for i in range(self.counts["rasa"]):
            urls[f"rasa{i}"] = f"{self.url('rasa', i)}/webhooks/rest/"
        for i in range(self.counts["web"]):
            urls[f"web{i}"] = f"{self.url('web', i)}/readyz"
        return urls

    def wait_ready(self, timeout_s: float = 300, names: Optional[List[str]] = None) -> None:
        deadline = time.time() + timeout_s
        for name, url in self.health_urls().items():
            if names is not None and name not in names:
                continue
            while _get(url) != 200:
                proc = self.procs.get(name)
                if proc is None or proc.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{self.log(name)[-3000:]}")
                if time.time() > deadline:
                    raise RuntimeError(f"{name} not ready after {timeout_s}s:\n{self.log(name)[-3000:]}")
                time.sleep(0.5)

    def _wait_port(self, name: str, port: int, timeout_s: float = 30) -> None:
        import socket

        deadline = time.time() + timeout_s
        while time.time() < deadline:
            if self.procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log(name)[-3000:]}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{name} not listening on {port}")

    def pid(self, name: str) -> int:
        return self.procs[name].pid

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a process (its whole group) at once, as a crash would."""
        proc = self.procs.pop(name)
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def restart_redis(self) -> float:
        """Stop Redis (SIGTERM) and start it again on the same port; seconds it was down."""
        started = time.perf_counter()
        self.kill("redis", signal.SIGTERM)
        self.start_redis()
        return time.perf_counter() - started

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            try:
                self.kill(name, signal.SIGTERM)
            except (KeyError, ProcessLookupError):
                pass
        self.stop_postgres()

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def describe(self) -> str:
        lines = [f"  patients (nginx):     {self.public_url}/  (tablet: /kiosk)",
                 f"  care team:            {self.url('careteam')}/zorgteam/  (API /api/v1/summaries)"]
        lines += [f"  web app {i}:            {self.url('web', i)}  (/metrics, /readyz)"
                  for i in range(self.counts["web"])]
        lines += [f"  Rasa server {i}:        {self.url('rasa', i)}" for i in range(self.counts["rasa"])]
        lines += [f"  action server {i}:      {self.url('actions', i)}  (/metrics, /readyz)"
                  for i in range(self.counts["actions"])]
        lines += [f"  Redis (lock store):   127.0.0.1:{self.port('redis')}",
                  f"  PostgreSQL:           127.0.0.1:{self.port('postgres')}",
                  f"  logs:                 {self.log_dir}"]
        return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rasa", type=int, default=2)
    parser.add_argument("--actions", type=int, default=2)
    parser.add_argument("--web", type=int, default=2)
    parser.add_argument("--dir", type=Path, help="state and logs (default: a temp dir, removed at exit)")
    args = parser.parse_args(argv)
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="werk-cluster-"))
    cluster = Cluster(workdir, rasa=args.rasa, actions=args.actions, web=args.web)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    try:
        print(f"starting the cluster in {workdir} (Rasa servers load the model: ~1-2 min) ...", flush=True)
        cluster.start()
        print("The cluster is running:\n" + cluster.describe() + "\nPress Ctrl-C to stop.", flush=True)
        while not stop["now"]:
            time.sleep(1)
            dead = [n for n, p in cluster.procs.items() if p.poll() is not None]
            if dead:
                print(f"stopped: {', '.join(dead)} exited (see {cluster.log_dir})", flush=True)
                return 1
    except KeyboardInterrupt:
        pass
    finally:
        print("Stopping...", flush=True)
        cluster.stop()
        if not args.dir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
