/**
 * Feast's `remote` online store against this server: its write and read requests, sent as Feast's
 * client sends them (the read without a content type), and the answers read as it reads them, by
 * Python (test/fixtures/feast_remote_client.py, standard library only). Feast's own package cannot
 * be installed on this machine (no PyPI), so this replays its client's wire behaviour.
 */
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './repo.js';
import { SQLITE } from './stores.js';

const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import http.client, json'], { stdio: 'ignore' }).status === 0);
if (python === undefined) {
  const msg = '[server] python3 is needed to replay Feast\'s remote online store client.';
  if (process.env.CI) throw new Error(msg);
  console.warn(msg);
}
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'feast_remote_client.py');

describe.skipIf(python === undefined)('Feast\'s remote online store client', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await startServer((await SQLITE.acquire('remote'))!.yaml);
  });
  afterAll(() => s?.stop());

  it('writes through /write-to-online-store and reads back through /get-online-features what it wrote', async () => {
    // RemoteOnlineStore.online_write_batch's df: join keys and features as Python values, event
    // times as naive UTC isoformat (microseconds when there are any), `created` None.
    const df = {
      driver_id: [1001, 1002],
      conv_rate: [0.5, 0.25],
      acc_rate: [0.875, null],
      avg_daily_trips: [12, 'BIG'],
      name: ['Ada', 'Bob'],
      tags: [['a', 'b'], []],
      event_timestamp: ['2026-02-01T12:30:00.250000', '2026-02-01T12:31:00'],
      created: [null, null],
    };
    const { stdout } = await promisify(execFile)(python!, [
      script,
      s.url,
      'driver_hourly_stats',
      'driver_id',
      'conv_rate,acc_rate,avg_daily_trips,name,tags',
      JSON.stringify([1001, 1002, 9999]),
      JSON.stringify(df).replace('"BIG"', '9007199254740993'), // an int64 beyond 2^53, as Python holds it
    ]);
    // Python's json reads the int64 beyond 2^53 exactly (printed as digits; read here as text). The
    // event time is the first entity's, in whole seconds: Feast's SQLite layout stores epoch seconds.
    expect(stdout).toContain('"avg_daily_trips": 9007199254740993,');
    expect(JSON.parse(stdout.replace('9007199254740993', '"9007199254740993"'))).toEqual([
      ['2026-02-01T12:30:00+00:00', { conv_rate: 0.5, acc_rate: 0.875, avg_daily_trips: 12, name: 'Ada', tags: ['a', 'b'] }],
      ['2026-02-01T12:30:00+00:00', { conv_rate: 0.25, acc_rate: null, avg_daily_trips: '9007199254740993', name: 'Bob', tags: [] }],
      ['2026-02-01T12:30:00+00:00', { conv_rate: null, acc_rate: null, avg_daily_trips: null, name: null, tags: null }],
    ]);
  });
});
