#!/usr/bin/env bash
# Follows docs/how-to/adding-a-new-online-store.md as a store author outside this
# repository would: an empty folder, npm, the published packages, the store's
# source as the guide shows it, a build, and the universal suite through the
# `feast-universal-tests` bin. The guide quotes the regions below, and
# `pnpm docs:check` keeps them equal.
#
# Until @feast-ts/* are on the registry, the packed tarballs of this checkout
# stand in for them: the `npm` function below swaps each @feast-ts/<name>
# argument for its tarball and passes everything else through unchanged.
#
# Needs: the packages built (pnpm build), Redis reachable as the example's
# tests find it (FEAST_REDIS_URL, 127.0.0.1:6379, or a local redis-server).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/feast-guide-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

PACKS="$WORK/packs"
mkdir -p "$PACKS"
for pkg in core universal-tests; do
  (cd "$REPO/packages/$pkg" && pnpm pack --pack-destination "$PACKS" >/dev/null)
done

npm() {
  local args=() arg
  for arg in "$@"; do
    case "$arg" in
      @feast-ts/*) args+=("$(ls "$PACKS"/feast-ts-"${arg#@feast-ts/}"-*.tgz)") ;;
      *) args+=("$arg") ;;
    esac
  done
  command npm --no-fund --no-audit --loglevel=error "${args[@]}"
}

mkdir "$WORK/feast-redis-online-store"
cd "$WORK/feast-redis-online-store"
echo "guide: starting from an empty folder, $PWD"

# #region start
npm init -y
npm pkg set type=module main=./dist/index.js types=./dist/index.d.ts
npm pkg set 'exports[.].types=./dist/index.d.ts' 'exports[.].import=./dist/index.js'
npm pkg set 'files[0]=dist'
npm install redis zod
npm install --save-dev @feast-ts/core @feast-ts/universal-tests vitest@^4 typescript@~6.0 @types/node@^20
npm pkg set 'peerDependencies[@feast-ts/core]=^0.1.0'
# #endregion start

# #region tsconfig
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "declaration": true,
    "skipLibCheck": true,
    "types": ["node"],
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"]
}
JSON
# #endregion tsconfig

# Step 1 of the guide: the store's source, as the guide shows it.
mkdir src test
cp "$REPO"/examples/custom-online-store/src/*.ts src/
# Step 3: the configs module (with its creator) and the Redis finder it uses.
cp "$REPO"/examples/custom-online-store/test/full-repo-configs.ts "$REPO"/examples/custom-online-store/test/redis-server.ts test/

# #region build-and-test
npx tsc
npx feast-universal-tests --configs ./test/full-repo-configs.ts
# #endregion build-and-test

# Step 6: what `npm publish` would upload.
npm pack --dry-run --json | node -e '
  const [pack] = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  const files = pack.files.map((f) => f.path);
  if (!files.includes("dist/index.js") || !files.includes("dist/index.d.ts") || files.some((f) => f.startsWith("src/"))) {
    console.error("guide: unexpected package contents: " + files.join(", "));
    process.exit(1);
  }
  console.log("guide: npm pack would publish " + files.length + " files: " + files.join(", "));
'
if [ -d node_modules/mysql2 ] || [ -d node_modules/better-sqlite3 ]; then
  echo "guide: a database driver the store does not use was installed" >&2
  exit 1
fi
echo "guide: the steps work from an empty folder"
