import { copyFile, mkdtemp, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixture } from './helpers.js';

/** A temp directory holding a copy of the registry.db Feast wrote, as `data/registry.db`. */
export async function copyOfFeastRegistry(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'feast-registry-'));
  await mkdir(path.join(dir, 'data'));
  const file = path.join(dir, 'data', 'registry.db');
  await copyFile(fixture('feast-registry/registry.db'), file);
  return file;
}
