import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFeatureServer } from '../src/index.js';
import { makeRepo } from './repo.js';
import { SQLITE } from './stores.js';

describe('TLS', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feast-ts-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS with the given key and certificate', async () => {
    // A self-signed certificate for 127.0.0.1 (openssl is part of every CI image this repo runs on).
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(path.join(dir, 'cert.pem'));
    const { store, dir: repoDir } = await makeRepo((await SQLITE.acquire('tls'))!.yaml);
    const server = await createFeatureServer(store, { tls: { key: readFileSync(path.join(dir, 'key.pem')), cert } });
    const url = await server.listen({ port: 0 });
    try {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise<number>((resolve, reject) => {
        https.get(`${url}/health`, { ca: cert }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
      expect(status).toBe(200);
    } finally {
      await server.close();
      rmSync(repoDir, { recursive: true, force: true });
    }
  });
});
