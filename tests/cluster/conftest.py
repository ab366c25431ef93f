"""The local cluster (scripts/local_cluster.py) for make test-cluster: nginx, 2 web apps,
2 Rasa servers, 2 action servers, PostgreSQL, Redis, the care-team app, on
127.0.0.1:CLUSTER_PORT_BASE+n (default 7400)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.support.stack import MODEL, ROOT

sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "scripts" / "bench")]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from cluster_load import LOAD_ENV
    from local_cluster import Cluster

    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first (make test does)")
    subprocess.run([str(ROOT / "scripts" / "ensure_cluster_tools.sh")], check=True)
    assert shutil.which("redis-server") and (shutil.which("nginx") or "/usr/sbin/nginx")
    c = Cluster(tmp_path_factory.mktemp("cluster"), extra_env=LOAD_ENV)
    try:
        c.start()
        yield c
    finally:
        c.stop()
