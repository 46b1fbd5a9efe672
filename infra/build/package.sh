#!/usr/bin/env bash
# The compiled program and its production dependencies only, in one folder (default out/shotcaller):
# what the image runs and what the tests run the compiled program from. Run `pnpm build` first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out=${1:-out/shotcaller}

[ -f services/shotcaller/dist/main.js ] || { echo "no compiled program: run \`pnpm build\` first" >&2; exit 1; }
rm -rf "$out"
# --legacy: pnpm 10's deploy otherwise needs inject-workspace-packages, which would give development
# copies of the workspace packages instead of links to them.
pnpm --filter @shotcaller/cli --prod deploy --legacy "$out" >/dev/null
# pnpm links the deployed package's bins a second time under the package's own folder; nothing uses them.
case "$out" in
  /*) ;;
  *) rm -rf "services/shotcaller/$out" && rmdir -p --ignore-fail-on-non-empty "services/shotcaller/$(dirname "$out")" ;;
esac

# The Temporal core bridge ships a prebuilt native module for every platform (about 30 MB each) and its
# Rust sources; keep only the module for this platform, which is the one the image runs on.
bridge=$(echo "$out"/node_modules/.pnpm/@temporalio+core-bridge@*/node_modules/@temporalio/core-bridge)
target=$(cd "$bridge" && node -e 'process.stdout.write(require("./common.js").getPrebuiltTargetName())')
find "$bridge/releases" -mindepth 1 -maxdepth 1 ! -name "$target" -exec rm -rf {} +
rm -rf "$bridge/sdk-core"
[ -f "$bridge/releases/$target/index.node" ] || { echo "no Temporal native module for $target in $bridge" >&2; exit 1; }
echo "packaged the compiled program in $out ($(du -sh "$out" | cut -f1))"
