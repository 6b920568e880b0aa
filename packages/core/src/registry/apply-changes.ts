import { DefinitionError } from '../errors.js';
import type { RegistryChange } from './registry.js';
import type { RegistryDocument, RegistryObjectKind } from './registry-document.js';
import { encodeRegistryObject, newProjectBytes, newProjectMetadataBytes, registryKindOf } from './to-proto.js';

const DELETE_KINDS: Record<'entity' | 'featureView' | 'featureService', RegistryObjectKind[]> = {
  entity: ['entities'],
  featureView: ['featureViews', 'streamFeatureViews'],
  featureService: ['featureServices'],
};

const VIEW_KINDS: RegistryObjectKind[] = ['featureViews', 'streamFeatureViews', 'onDemandFeatureViews'];

/**
 * Applies changes to a registry document as Feast's file registry does: each object replaces the
 * one of the same name and project (or is added), deletes remove, and when anything changed the
 * project gets its `projects` / `project_metadata` records if missing and the registry a new
 * `version_id` and `last_updated`. Returns whether anything changed.
 * @throws DefinitionError when a view's name is taken by a view of another kind
 */
export function applyChangesToDocument(doc: RegistryDocument, project: string, changes: readonly RegistryChange[], now: Date): boolean {
  let changed = false;
  for (const change of changes) {
    if (change.op === 'delete') {
      for (const kind of DELETE_KINDS[change.kind]) if (doc.remove(kind, project, change.name)) changed = true;
      continue;
    }
    const kind = registryKindOf(change.object);
    const name = change.object.name;
    if (VIEW_KINDS.includes(kind)) {
      for (const other of VIEW_KINDS) {
        if (other !== kind && doc.get(other, project, name)) {
          throw new DefinitionError(
            `Cannot apply "${name}" as a ${describeKind(kind)}: project "${project}" already has a ${describeKind(other)} of that name. ` +
              'Feast keeps view names unique across kinds; rename one, or delete the other first.',
          );
        }
      }
    }
    const existing = doc.get(kind, project, name);
    const bytes = encodeRegistryObject(change.object, project, existing, now);
    if (bytes !== existing) {
      doc.put(kind, project, name, bytes);
      changed = true;
    }
  }
  if (!changed) return false;
  if (!doc.get('projects', project, project)) doc.put('projects', project, project, newProjectBytes(project, now));
  if (!doc.get('projectMetadata', project, project)) doc.put('projectMetadata', project, project, newProjectMetadataBytes(project));
  doc.stamp(now);
  return true;
}

function describeKind(kind: RegistryObjectKind): string {
  return kind === 'streamFeatureViews' ? 'stream feature view' : kind === 'onDemandFeatureViews' ? 'on-demand feature view' : 'feature view';
}
