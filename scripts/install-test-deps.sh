#!/usr/bin/env bash
# Installs what FARO's tests need on a Debian/Ubuntu machine when it is missing:
#   - PostgreSQL server binaries (initdb, postgres) and the pgvector extension, built from
#     Debian's source package `pgvector` against the machine's PostgreSQL (Debian 12 ships no binary);
#   - kcat, used by the end-to-end quickstart test;
#   - Prometheus (Debian's `prometheus` package): promtool checks the alert rules and dashboard queries, and
#     a real Prometheus scrapes FARO in the metrics test;
#   - Chromium and its driver (Debian's `chromium`, `chromium-driver`): the console page's browser test drives
#     the page in headless Chromium through /usr/bin/chromedriver.
# Idempotent: each step is skipped when its result is already present.
set -euo pipefail

log() { printf '[faro setup] %s\n' "$*"; }
die() { printf '[faro setup] error: %s\n' "$*" >&2; exit 1; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else die "run as root or install sudo to install $1"; fi
  else
    SUDO=
  fi
}

apt_updated=
apt_install() {
  need_root "$*"
  if [ -z "$apt_updated" ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v apt-get >/dev/null 2>&1; then
  die "this is not a Debian/Ubuntu system. Install PostgreSQL 15+ with the pgvector extension
(https://github.com/pgvector/pgvector#installation), kcat, Prometheus (promtool), and Chromium with its
chromedriver yourself, then run ./faro test again."
fi

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

if [ -z "$(pg_bindir || true)" ]; then
  log "installing PostgreSQL server binaries"
  apt_install postgresql
fi
bindir=$(pg_bindir) || die "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin after install"
pg_major=$(basename "$(dirname "$bindir")")

sharedir=$("$bindir/../bin/postgres" --version >/dev/null 2>&1 && echo "/usr/share/postgresql/$pg_major")
if [ ! -f "$sharedir/extension/vector.control" ]; then
  log "building pgvector for PostgreSQL $pg_major from Debian's source package"
  need_root "pgvector"
  # Debian 12 has no pgvector package; a newer release's *source* package builds against PG 15.
  # Only a deb-src entry is added, never binaries from another release.
  if ! apt-cache showsrc pgvector 2>/dev/null | grep -q '^Package: pgvector'; then
    src=/etc/apt/sources.list.d/faro-pgvector-src.sources
    if [ ! -f "$src" ]; then
      $SUDO tee "$src" >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    fi
    $SUDO apt-get update -qq; apt_updated=1
  fi
  apt_install "postgresql-server-dev-$pg_major" build-essential dpkg-dev
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1) || die "apt-get source pgvector failed"
  dir=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
  [ -n "$dir" ] || die "pgvector source not unpacked"
  make -s -C "$dir" PG_CONFIG="$bindir/pg_config" >/dev/null
  $SUDO make -s -C "$dir" PG_CONFIG="$bindir/pg_config" install >/dev/null
  [ -f "$sharedir/extension/vector.control" ] || die "pgvector install did not produce vector.control"
  log "pgvector installed"
fi

if ! command -v kcat >/dev/null 2>&1; then
  log "installing kcat"
  apt_install kcat
fi

if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  log "installing Prometheus (promtool)"
  apt_install prometheus
fi

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  log "installing Chromium and chromedriver (the console's browser test)"
  apt_install chromium chromium-driver
fi

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  die "PostgreSQL refuses to run as root and there is no 'postgres' user; create one (adduser --system postgres)"
fi
log "test dependencies present (PostgreSQL $pg_major with pgvector, kcat, Prometheus, Chromium)"
