// The driver-stats demo: runs the feast-ts CLI steps on this feature repo
// (through @feast-ts/cli's run(), the same code as the `feast-ts` binary) and
// prints the online features as a table. Safe to run again: apply changes
// nothing the second time, and the CSV is simply written again.
//
//   pnpm demo            (from the monorepo root: builds, then runs this)
//   node demo.mjs        (after `pnpm build`)
import { fileURLToPath } from 'node:url';
import { formatTable, parseJsonExact, run } from '@feast-ts/cli';

const repo = fileURLToPath(new URL('.', import.meta.url));
const VIEW = 'driver_hourly_stats';
const FEATURES = ['conv_rate', 'acc_rate', 'avg_daily_trips'];
const DRIVERS = [1001, 1002, 1003, 9999]; // 9999 has no rows in data/driver_stats.csv

/** Runs one CLI command in this repo, echoing it; returns its stdout when `capture` is set. */
async function feastTs(argv, { capture = false } = {}) {
  console.log(`\n$ feast-ts ${argv.map((a) => (/[\s'"[\]{}]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  let stdout = '';
  const io = capture ? { stdout: { write: (s) => (stdout += s) } } : {};
  const code = await run(['-C', repo, ...argv], io);
  if (code !== 0) {
    console.error(`\ndemo: "feast-ts ${argv[0]}" failed with exit code ${code} (the error is above).`);
    process.exit(code);
  }
  return stdout;
}

const fmt = (v) => (v === null ? 'null' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : String(v));

await feastTs(['apply']);
await feastTs(['write', VIEW, 'data/driver_stats.csv']);
const json = await feastTs([
  'get-online-features',
  '--features',
  FEATURES.map((f) => `${VIEW}:${f}`).join(','),
  ...DRIVERS.flatMap((id) => ['--entity', `driver_id=${id}`]),
], { capture: true });
process.stdout.write(json);

// The JSON is Feast's to_dict() shape: one array per column, aligned with the entities.
const result = parseJsonExact(json);
const columns = ['driver_id', ...FEATURES];
const rows = DRIVERS.map((_, i) => columns.map((c) => fmt(result[c][i])));
console.log(`\nLatest features of ${DRIVERS.length} drivers (Float32 values rounded to 4 places):\n`);
process.stdout.write(formatTable(columns, rows));

const missing = DRIVERS.filter((_, i) => FEATURES.every((f) => result[f][i] === null));
if (missing.length !== 1 || missing[0] !== 9999) {
  console.error(`\ndemo: expected only driver 9999 to be missing, got ${JSON.stringify(missing)}.`);
  process.exit(1);
}
console.log(
  `\nDriver 9999 has no rows in the online store, so every feature comes back null for it ` +
    `(as in Feast: a missing entity is not an error).`,
);

// The same read as Feast's feature server answers it (`--output response`, which is
// JSON.stringify(response) of FeatureStore.getOnlineFeatures): a status and an event
// timestamp per value. The sample data is older than the view's ttl (one day), so its
// values are kept and marked OUTSIDE_MAX_AGE, as Feast's Go feature server does.
const body = JSON.parse(
  await feastTs(['get-online-features', '--features', `${VIEW}:conv_rate`, '--entity', 'driver_id=1001', '--entity', 'driver_id=9999', '--output', 'response', '--compact'], {
    capture: true,
  }),
);
const names = body.metadata.feature_names;
console.log('');
process.stdout.write(
  formatTable(
    ['column', 'values', 'statuses', 'event_timestamps'],
    body.results.map((r, i) => [names[i], JSON.stringify(r.values), r.statuses.join(' '), r.event_timestamps.join(' ')]),
  ),
);
const statuses = body.results[1].statuses;
if (statuses[1] !== 'NOT_FOUND' || !['PRESENT', 'OUTSIDE_MAX_AGE'].includes(statuses[0])) {
  console.error(`\ndemo: unexpected statuses ${JSON.stringify(statuses)} for drivers 1001 and 9999.`);
  process.exit(1);
}
