#!/usr/bin/env bash
# Makes `docker compose` available for validating docker-compose.yml (CI has the docker CLI but
# no compose plugin and no engine). Uses an installed plugin when there is one; otherwise builds
# Compose v2 from the Go module proxy into .tools/ (once, a few minutes) and installs it as a CLI
# plugin in ~/.docker/cli-plugins. `go install …@version` refuses the module (its go.mod has
# `exclude` directives), so it is built from a small wrapper module that copies its go.mod.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=v2.40.3
MODULE=github.com/docker/compose/v2
TOOLS="$PWD/.tools"
BIN="$TOOLS/bin/docker-compose"
PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"

if docker compose version >/dev/null 2>&1; then
  docker compose version
  exit 0
fi

if [[ ! -x "$BIN" ]] || ! "$BIN" version 2>/dev/null | grep -q "${VERSION}"; then
  GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
  [[ -x "$GO" ]] || { echo "Go is needed to build docker compose (set GO or install it at /usr/local/go)" >&2; exit 1; }
  work="$TOOLS/compose-build"
  mkdir -p "$work" "$TOOLS/bin"
  echo "Building docker compose ${VERSION} from the Go module proxy (a few minutes, once)…"
  curl -fsSL "https://proxy.golang.org/${MODULE}/@v/${VERSION}.mod" | sed 's#^module .*#module opendk.local/compose-build#' > "$work/go.mod"
  printf '\nrequire %s %s\n' "$MODULE" "$VERSION" >> "$work/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s/cmd"\n' "$MODULE" > "$work/tools.go"
  (cd "$work" && GOTOOLCHAIN=local GOFLAGS=-mod=mod "$GO" build -o "$BIN" \
    -ldflags "-s -w -X ${MODULE}/internal.Version=${VERSION}" "${MODULE}/cmd")
fi

mkdir -p "$PLUGIN_DIR"
ln -sf "$BIN" "$PLUGIN_DIR/docker-compose"
docker compose version
