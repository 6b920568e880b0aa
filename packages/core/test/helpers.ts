import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of a fixture file. */
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** online_store.type of the in-memory fixture store. */
export const MEMORY = `${fixture('memory-online-store.ts')}#MemoryOnlineStore`;

/** A temp feature repo holding the given feature_store.yaml. */
export async function makeRepo(yaml: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'feast-core-'));
  await writeFile(path.join(dir, 'feature_store.yaml'), yaml);
  return dir;
}
