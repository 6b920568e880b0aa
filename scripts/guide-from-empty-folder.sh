#!/usr/bin/env bash
# Follows docs/how-to/adding-a-new-online-store.md as a store author outside this
# repository would: an empty folder, npm, the published packages, the store's
# source as the guide shows it, a build, and the universal suite through the
# `feast-universal-tests` bin. The guide quotes the regions below, and
# `pnpm docs:check` keeps them equal.
#
# The @feast-ts packages come from a registry, as they will for a store
# author: a throwaway local one that holds a snapshot of this checkout
# (scripts/with-local-registry.mjs publishes it the way `pnpm release` does,
# then runs this script with FEAST_TS_LOCAL_REGISTRY set). The `npm` function
# below only adds `@feast-ts:registry` for that registry to npm's environment,
# as an .npmrc line would; everything else comes from the usual registry, and
# the commands are the guide's, unchanged.
#
# Needs: the packages built (pnpm build), a NATS server with JetStream
# reachable as the example's tests find it (FEAST_NATS_URL, 127.0.0.1:4222, or
# a local nats-server binary).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${FEAST_TS_LOCAL_REGISTRY:-}" ]; then
  exec node "$REPO/scripts/with-local-registry.mjs" -- bash "$0" "$@"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/feast-guide-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

npm() {
  command env "npm_config_@feast-ts:registry=$FEAST_TS_LOCAL_REGISTRY" npm --no-fund --no-audit --loglevel=error "$@"
}

mkdir "$WORK/feast-nats-kv-online-store"
cd "$WORK/feast-nats-kv-online-store"
echo "guide: starting from an empty folder, $PWD"

# #region start
npm init -y
npm pkg set type=module main=./dist/index.js types=./dist/index.d.ts
npm pkg set 'exports[.].types=./dist/index.d.ts' 'exports[.].import=./dist/index.js'
npm pkg set 'files[0]=dist'
npm install @nats-io/transport-node@^3 @nats-io/jetstream@^3 @nats-io/kv@^3 zod
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
# Step 3: the configs module (with its creator) and the NATS server finder it uses.
cp "$REPO"/examples/custom-online-store/test/full-repo-configs.ts "$REPO"/examples/custom-online-store/test/nats-server.ts test/

# #region build-and-test
npx tsc
npx feast-universal-tests --configs ./test/full-repo-configs.ts
# #endregion build-and-test

# The @feast-ts packages came from the registry: the snapshot it holds.
node -e '
  const want = JSON.parse(process.env.FEAST_TS_SNAPSHOT_VERSIONS);
  for (const name of ["@feast-ts/core", "@feast-ts/universal-tests"]) {
    const got = require("./node_modules/" + name + "/package.json").version;
    if (got !== want[name]) { console.error("guide: " + name + " is " + got + ", not the snapshot " + want[name] + " from the local registry"); process.exit(1); }
  }
  console.log("guide: @feast-ts/core and @feast-ts/universal-tests " + want["@feast-ts/core"] + " came from the local registry");
'

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
if [ -d node_modules/mysql2 ] || [ -d node_modules/better-sqlite3 ] || [ -d node_modules/ioredis ] || [ -d node_modules/redis ]; then
  echo "guide: a database driver the store does not use was installed" >&2
  exit 1
fi
echo "guide: the steps work from an empty folder"
