import { DUMMY_ENTITY_ID, DUMMY_ENTITY_VAL, type FeatureView } from '../definitions/feature-view.js';
import { ValueConversionError } from '../errors.js';
import type { EntityKeyProto, ValueProto } from '../proto/value.js';
import { entityValueToProto } from './entity-value.js';

/**
 * The entity key of `row` for `view`: its join keys' values, or Feast's dummy key for an entityless
 * view. With `joinKeyMap` (a projection's), a join key's value is read from the row column it maps to.
 */
export function entityKeyFor(
  view: FeatureView,
  row: Record<string, unknown>,
  at: string,
  joinKeyMap: Readonly<Record<string, string>> = {},
): EntityKeyProto {
  if (view.isEntityless) return { joinKeys: [DUMMY_ENTITY_ID], entityValues: [{ stringVal: DUMMY_ENTITY_VAL }] };
  const joinKeys: string[] = [];
  const entityValues: ValueProto[] = [];
  for (const entity of view.entities) {
    const k = entity.joinKey;
    const column = joinKeyMap[k] ?? k;
    const v = row[column];
    if (v === undefined || v === null) {
      const mapped = column === k ? '' : ` (read from "${column}", as the feature service maps it)`;
      throw new ValueConversionError(`${at}: join key "${k}"${mapped} is missing; view "${view.name}" is keyed by ${view.joinKeys.join(', ')}.`);
    }
    joinKeys.push(k);
    entityValues.push(entityValueToProto(v, entity, `${at}, join key "${column}"`));
  }
  return { joinKeys, entityValues };
}
