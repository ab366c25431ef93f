#!/usr/bin/env python
"""Render deploy/nginx/nginx.conf.template: for the local cluster (scripts/local_cluster.py)
and for the deployments in deploy/ (one template, so they cannot drift apart).

    python scripts/nginx_conf.py write     # (re)write deploy/nginx/nginx.compose.conf, deploy/k8s/nginx.conf
    python scripts/nginx_conf.py check     # exit 1 when a committed rendering is stale
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx" / "nginx.conf.template"
UNAVAILABLE_TEXT = "Het lukt nu even niet. Probeer het over een minuut opnieuw. Uw antwoorden zijn bewaard."


def render(values: Dict[str, str]) -> str:
    """Fill in ``{{NAME}}``; an unknown or missing placeholder is an error."""
    text = TEMPLATE.read_text(encoding="utf-8")
    names = set(re.findall(r"\{\{([A-Z_]+)\}\}", text))
    missing = names - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)}")
    for name in names:
        text = text.replace("{{" + name + "}}", values[name])
    return text


def upstream_lines(servers: List[str], *, resolve: bool = False, zone: str = "") -> str:
    """``server`` lines; with ``resolve`` nginx (>= 1.27.3) follows DNS changes
    (containers and pods that come back with another address)."""
    extra = " resolve" if resolve else ""
    lines = [f"        zone {zone} 64k;"] if zone else []
    lines += [f"        server {s}{extra} max_fails=1 fail_timeout=5s;" for s in servers]
    return "\n".join(lines)


def container_values(web: List[str], rasa: List[str], actions: List[str], resolver: str) -> Dict[str, str]:
    return {
        "PREAMBLE": "# Rendered by scripts/nginx_conf.py: do not edit; edit the template.",
        "RUN_DIR": "/tmp", "ERROR_LOG": "/dev/stderr", "ACCESS_LOG": "/dev/stdout",
        "RESOLVER": f"resolver {resolver} valid=10s ipv6=off;",
        "PUBLIC_LISTEN": "8080", "RASA_LISTEN": "5005", "ACTIONS_LISTEN": "5055",
        "WEB_SERVERS": upstream_lines(web, resolve=True, zone="werk_web"),
        "RASA_SERVERS": upstream_lines(rasa, resolve=True, zone="werk_rasa"),
        "ACTION_SERVERS": upstream_lines(actions, resolve=True, zone="werk_actions"),
        "UNAVAILABLE_TEXT": UNAVAILABLE_TEXT,
    }


# Compose: one DNS name per service resolves to every replica. Kubernetes: Rasa is a
# StatefulSet, so each server has its own stable name on the consistent-hash ring.
DEPLOYMENTS = {
    "compose": container_values(["web:8080"], ["rasa:5005"], ["actions:5055"], "127.0.0.11"),
    "k8s": container_values(
        ["werk-web.werk-intake.svc.cluster.local:8080"],
        [f"werk-rasa-{i}.werk-rasa.werk-intake.svc.cluster.local:5005" for i in range(2)],
        ["werk-actions.werk-intake.svc.cluster.local:5055"],
        "kube-dns.kube-system.svc.cluster.local"),
}


def rendering_path(name: str) -> Path:
    # Kubernetes: next to kustomization.yaml, which makes the ConfigMap from it
    return ROOT / "deploy" / "k8s" / "nginx.conf" if name == "k8s" else TEMPLATE.parent / f"nginx.{name}.conf"


def main(argv: List[str]) -> int:
    mode = argv[0] if argv else "check"
    stale = []
    for name, values in DEPLOYMENTS.items():
        text = render(values)
        path = rendering_path(name)
        if mode == "write":
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(str(path.relative_to(ROOT)))
    if stale:
        print(f"stale: {', '.join(stale)}; run `python scripts/nginx_conf.py write`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
