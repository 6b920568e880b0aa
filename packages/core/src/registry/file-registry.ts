import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Entity, type EntityJson } from '../definitions/entity.js';
import { FeatureView, type FeatureViewJson } from '../definitions/feature-view.js';
import { RegistryError } from '../errors.js';

/** What one project holds in the registry. */
export interface ProjectRegistry {
  entities: Map<string, Entity>;
  featureViews: Map<string, FeatureView>;
}

interface RegistryFile {
  version: 1;
  projects: Record<string, { entities: EntityJson[]; featureViews: FeatureViewJson[] }>;
}

/**
 * The registry: a JSON file (feature_store.yaml's `registry`) recording the
 * entities and feature views applied to each project. Written atomically, and
 * only when its content changes, so re-applying the same objects changes nothing.
 */
export class FileRegistry {
  /** The parsed file and the stat it was read at; reused while the file is unchanged. */
  #cache: { mtimeMs: number; size: number; file: RegistryFile; projects: Map<string, ProjectRegistry> } | undefined;

  constructor(readonly file: string) {}

  /**
   * The whole registry. A stat per call tells whether the file changed since it
   * was last read (by this or another process); only then is it read and parsed.
   */
  private async readAll(): Promise<{ file: RegistryFile; projects: Map<string, ProjectRegistry> }> {
    let st: { mtimeMs: number; size: number };
    try {
      st = await stat(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#cache = undefined;
        return { file: { version: 1, projects: {} }, projects: new Map() };
      }
      throw new RegistryError(`Cannot read the registry ${this.file}: ${(err as Error).message}`, err);
    }
    const cached = this.#cache;
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      throw new RegistryError(`Cannot read the registry ${this.file}: ${(err as Error).message}`, err);
    }
    let parsed: RegistryFile;
    try {
      parsed = JSON.parse(text) as RegistryFile;
      if (parsed?.version !== 1 || typeof parsed.projects !== 'object') throw new Error('not a feast-ts registry (version 1)');
    } catch (err) {
      throw new RegistryError(
        `The registry ${this.file} is not valid: ${(err as Error).message}. Delete it and run apply again to rebuild it.`,
        err,
      );
    }
    this.#cache = { mtimeMs: st.mtimeMs, size: st.size, file: parsed, projects: new Map() };
    return this.#cache;
  }

  /**
   * The project's entities and feature views (empty when nothing was applied).
   * The maps are shared with later calls while the file is unchanged: copy them before changing them.
   */
  async load(project: string): Promise<ProjectRegistry> {
    const all = await this.readAll();
    const known = all.projects.get(project);
    if (known) return known;
    const p = all.file.projects[project];
    const entities = new Map<string, Entity>();
    const featureViews = new Map<string, FeatureView>();
    try {
      for (const e of p?.entities ?? []) entities.set(e.name, Entity.fromJSON(e));
      for (const v of p?.featureViews ?? []) featureViews.set(v.name, FeatureView.fromJSON(v));
    } catch (err) {
      throw new RegistryError(`The registry ${this.file} holds an invalid definition: ${(err as Error).message}`, err);
    }
    const loaded = { entities, featureViews };
    all.projects.set(project, loaded);
    return loaded;
  }

  /** Replaces the project's content; writes the file only if it changed. Returns whether it wrote. */
  async save(project: string, content: ProjectRegistry | null): Promise<boolean> {
    const all = structuredClone((await this.readAll()).file);
    const before = JSON.stringify(all);
    if (content === null || (content.entities.size === 0 && content.featureViews.size === 0)) {
      delete all.projects[project];
    } else {
      const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      all.projects[project] = {
        entities: [...content.entities.values()].map((e) => e.toJSON()).sort(byName),
        featureViews: [...content.featureViews.values()].map((v) => v.toJSON()).sort(byName),
      };
    }
    const sorted: RegistryFile = { version: 1, projects: Object.fromEntries(Object.entries(all.projects).sort(([a], [b]) => (a < b ? -1 : 1))) };
    const after = JSON.stringify(sorted);
    if (after === before) return false;
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(sorted, null, 2) + '\n');
    await rename(tmp, this.file);
    this.#cache = undefined;
    return true;
  }
}
