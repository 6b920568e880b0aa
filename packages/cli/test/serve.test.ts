import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `feast-ts serve` as a real process: signals, exit codes and node:cluster workers need one.
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const built = existsSync(BIN);
if (!built) console.warn('[cli] dist/bin.js is missing: build @feast-ts/cli to run the serve tests.');

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({ name: 'stats', entities: [driver], schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float64 })] });
const BODY = JSON.stringify({ features: ['stats:conv_rate'], entities: { driver_id: [1, 2] } });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

interface Served {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exit: Promise<number | null>;
}

async function serve(repo: string, extra: string[] = []): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, '-C', repo, 'serve', '--port', String(port), '--no-access-log', '--log-level', 'warn', ...extra], {
    env: { ...process.env, FEAST_TS_DEBUG: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) resolve();
    });
    void exit.then((code) => reject(new Error(`feast-ts serve exited (${code}) before listening: ${err}`)));
  });
  return { child, port, stderr: () => err, exit };
}

function request(port: number, agent: http.Agent, body = BODY, route = '/get-online-features'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: route, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const get = (url: string): Promise<string> => fetch(url).then((r) => r.text());

describe.skipIf(!built)('feast-ts serve', () => {
  let repo: string;
  beforeAll(async () => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'feast-ts-serve-'));
    writeFileSync(path.join(repo, 'feature_store.yaml'), 'project: serve_test\nregistry: data/registry.db\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
    const store = await FeatureStore.open(repo, { resolveFrom: [import.meta.url] });
    await store.apply([driver, stats]);
    await store.writeToOnlineStore('stats', [{ driver_id: 1n, conv_rate: 0.5, event_timestamp: new Date('2026-01-01T00:00:00Z') }]);
    await store.close();
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('finishes every request in flight when SIGTERM comes during a burst, then exits 0', async () => {
    const s = await serve(repo);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const statuses: number[] = [];
    const errors: string[] = [];
    let signalled = false;
    // 16 clients send requests back to back; after 150 answers the server gets SIGTERM. A client stops at
    // its first error: once the server stops accepting, a new connection is refused (ECONNREFUSED) —
    // never may a request already on an open connection be reset or answered with an error.
    const client = async (): Promise<void> => {
      for (;;) {
        try {
          const r = await request(s.port, agent);
          statuses.push(r.status);
          if (statuses.length === 150 && !signalled) {
            signalled = true;
            s.child.kill('SIGTERM');
          }
        } catch (err) {
          errors.push((err as NodeJS.ErrnoException).code ?? (err as Error).message);
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    agent.destroy();
    expect(await s.exit).toBe(0);
    expect(signalled).toBe(true);
    expect(statuses.length).toBeGreaterThanOrEqual(150);
    expect(statuses.filter((c) => c !== 200)).toEqual([]);
    expect([...new Set(errors)]).toEqual(['ECONNREFUSED']);
    expect(s.stderr()).toContain('SIGTERM: finishing in-flight requests');
  });

  it('--workers 2 serves from two processes on one port, sums their metrics on --metrics and on /metrics, and stops both on SIGTERM', async () => {
    const metricsPort = await freePort();
    const s = await serve(repo, ['--workers', '2', '--metrics', '--metrics-port', String(metricsPort)]);
    expect(s.stderr()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(2 workers\); metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/);
    const children = spawnSync('pgrep', ['-P', String(s.child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    expect(children).toHaveLength(2);

    const agent = new http.Agent({ keepAlive: false });
    const answers = await Promise.all(Array.from({ length: 40 }, () => request(s.port, agent)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(JSON.parse(answers[0]!.text)).toEqual({
      metadata: { feature_names: ['driver_id', 'conv_rate'] },
      results: [
        { values: [1, 2], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
        { values: [0.5, null], statuses: ['PRESENT', 'NOT_FOUND'], event_timestamps: ['2026-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
      ],
    });
    // The metrics port sums both workers, and so does /metrics on the main port, whichever worker answers it.
    const summed = await get(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(summed).toMatch(/^feast_online_features_request_total 40$/m);
    for (let i = 0; i < 6; i++) expect(await get(`http://127.0.0.1:${s.port}/metrics`)).toMatch(/^feast_online_features_request_total 40$/m);

    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    for (const pid of children) expect(() => process.kill(Number(pid), 0)).toThrow();
  });

  it('--workers 2 on a repo that cannot be opened exits 1 with the error, instead of restarting workers forever', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'feast-ts-serve-empty-'));
    try {
      const r = spawnSync(process.execPath, [BIN, '-C', empty, 'serve', '--workers', '2', '--port', '0'], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/No feature repository at [^\n]*\[CONFIG_NOT_FOUND\]/);
      expect(r.stderr).toMatch(/exited \(code 1\) before listening; stopping/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses --key without --cert, and a bad --workers, as usage errors', () => {
    const a = spawnSync(process.execPath, [BIN, '-C', repo, 'serve', '--key', 'k.pem'], { encoding: 'utf8' });
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--key and --cert go together/);
    const b = spawnSync(process.execPath, [BIN, '-C', repo, 'serve', '--workers', '0'], { encoding: 'utf8' });
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--workers takes a number >= 1/);
  });
});
