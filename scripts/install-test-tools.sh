#!/usr/bin/env bash
# Installs tmux (terminal UI tests) and Chromium (HTML report tests) from Debian's packages,
# when they are missing and this user can install packages. Never fails the build by itself.
set -uo pipefail
want=()
command -v tmux >/dev/null 2>&1 || want+=(tmux)
command -v chromium >/dev/null 2>&1 || want+=(chromium)
[ ${#want[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: no apt-get; not installing ${want[*]}"; exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "note: not root; not installing ${want[*]}"; exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null 2>&1 || true
$sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1 \
  || echo "note: could not install ${want[*]}"
exit 0
