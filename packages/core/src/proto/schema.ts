import protobuf from 'protobufjs';
import { feastTypesDescriptor } from './generated/feast-types.js';

/**
 * The reflected protobuf schema of `feast.types`, built once per process from the descriptor
 * generated at build time from proto/feast/types/*.proto (no .proto file is read at run time).
 */
export const feastTypesRoot: protobuf.Root = protobuf.Root.fromJSON(feastTypesDescriptor);
feastTypesRoot.resolveAll();

export const ValueMessage: protobuf.Type = feastTypesRoot.lookupType('feast.types.Value');
export const EntityKeyMessage: protobuf.Type = feastTypesRoot.lookupType('feast.types.EntityKey');
