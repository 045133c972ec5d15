#!/usr/bin/env bash
# Installs better-sqlite3 (the SQLite baseline of bench/durable) without adding it to
# package.json: it compiles a native addon (node-gyp, Node's headers), which CI never needs.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-save --allow-scripts=better-sqlite3 better-sqlite3@12.11.1 2>/dev/null || \
  npm install --no-save better-sqlite3@12.11.1
# npm 11 may skip install scripts of packages not approved in allowScripts: build explicitly.
if ! node -e 'require("better-sqlite3")(":memory:")' 2>/dev/null; then
  (cd node_modules/better-sqlite3 && npx --yes node-gyp rebuild --release >/dev/null)
fi
node -e 'const D=require("better-sqlite3"); const d=new D(":memory:"); console.log("better-sqlite3 ok, SQLite", d.prepare("select sqlite_version() v").get().v)'
