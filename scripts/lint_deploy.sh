#!/usr/bin/env bash
# `make lint-deploy`: the deployment artefacts in deploy/ checked with the linters that
# install here (requirements-tools.txt, in build/tools-venv). No container daemon runs
# on the development machines, so the image is linted, not built (docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="${TOOLS_VENV:-$PWD/build/tools-venv}/bin"
D="${DEPLOY_DIR:-deploy}"   # another directory: tests/cluster/test_deploy_lint.py breaks copies
ok() { echo "lint-deploy: $*"; }

# 1. Dockerfile: hadolint (every rule, info level included), then our own rules for the
#    runtime stage: not root, nothing installed with apt, no compilers, built from the
#    build stage.
"$TOOLS/hadolint" --failure-threshold info "$D/Dockerfile"
"$TOOLS/python" - "$D/Dockerfile" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
stages = re.split(r"(?m)^FROM\s", text)
final = stages[-1]
problems = []
if len(stages) < 3:
    problems.append("not a multi-stage build")
user = re.findall(r"(?m)^USER\s+(\S+)", final)
if not user or user[-1].split(":")[0] in ("0", "root"):
    problems.append("the runtime stage must end with a non-root USER")
if re.search(r"apt-get|apk add|build-essential|gcc|g\+\+|make ", final):
    problems.append("the runtime stage installs packages or build tools")
if "COPY --from=build /opt/venv" not in final:
    problems.append("the runtime stage must take the virtualenv from the build stage")
if problems:
    sys.exit("Dockerfile: " + "; ".join(problems))
PY
sh -n "$D/entrypoint.sh"
ok "Dockerfile passed hadolint and the runtime-stage rules"

# 2. Kubernetes manifests against the API schemas (offline), strictly.
manifests=$(ls "$D"/k8s/*.yaml | grep -v kustomization.yaml)
"$TOOLS/kubernetes-validate" --strict --quiet -k 1.30.0 $manifests
"$TOOLS/python" - "$D/k8s" <<'PY'
import pathlib, sys, yaml
k8s = pathlib.Path(sys.argv[1])
k = yaml.safe_load(open(k8s / "kustomization.yaml"))
files = k["resources"] + [f.split("=")[-1] for g in k.get("configMapGenerator", []) for f in g["files"]]
missing = [f for f in files if not (k8s / f).is_file()]
listed = {pathlib.Path(f).name for f in k["resources"]}
unlisted = [p.name for p in k8s.glob("*.yaml") if p.name not in listed | {"kustomization.yaml"}]
if missing or unlisted:
    sys.exit(f"kustomization.yaml: missing files {missing}, manifests not listed {unlisted}")
PY
ok "Kubernetes manifests passed kubernetes-validate --strict (1.30)"

# 3. Compose file: Docker Compose v2's own `config` (schema and references), with the
#    example env file in place of the real secrets.
compose_bin="$("$TOOLS/python" -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cp -r "$D" "$tmp/deploy"
cp "$D/example.env" "$tmp/deploy/werk.env"
echo "example-password" > "$tmp/deploy/postgres_password.txt"
REDIS_PASSWORD=example "$compose_bin" -f "$tmp/deploy/compose.yaml" config --quiet
ok "compose.yaml passed docker-compose config ($("$compose_bin" version --short))"

# 4. nginx: the committed renderings match the template, and nginx -t accepts them
#    (service names mapped to 127.0.0.1; Debian's nginx 1.22 lacks `resolve`, 1.27.3+).
[ "$D" = deploy ] && python3 scripts/nginx_conf.py check
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ -x "$nginx_bin" ]; then
  for conf in "$D/nginx/nginx.compose.conf" "$D/k8s/nginx.conf"; do
    mkdir -p "$tmp/ngx"
    sed -E -e 's/ resolve / /; s/^\s*resolver .*$//; s/server [a-z0-9.-]+:([0-9]+)/server 127.0.0.1:\1/' \
        "$conf" > "$tmp/ngx/nginx.conf"
    [ "$(id -u)" -eq 0 ] && sed -i '1i user root;' "$tmp/ngx/nginx.conf"
    "$nginx_bin" -t -q -p "$tmp/ngx" -c "$tmp/ngx/nginx.conf"
  done
  ok "nginx renderings are fresh and pass nginx -t"
else
  echo "lint-deploy: nginx not installed: nginx -t skipped (scripts/ensure_cluster_tools.sh)" >&2
fi
echo "lint-deploy: 4 checks passed"
