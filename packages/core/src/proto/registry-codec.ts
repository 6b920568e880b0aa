import type protobuf from 'protobufjs';
import { RegistryError } from '../errors.js';
import {
  PermissionMessage,
  SavedDatasetMessage,
  ValidationReferenceMessage,
  LabelViewMessage,
  InfraMessage,
} from './registry-schema.js';
import type { ProtoObject } from './registry-types.js';

/** Encoding and decoding of one Feast registry message, byte-compatible with Feast's protobuf. */
export interface ProtoCodec<T> {
  /** The full protobuf name, such as `feast.core.Entity`. */
  readonly typeName: string;
  /** Serialize to protobuf bytes. Throws {@link RegistryError} on a malformed object. */
  encode(message: T): Uint8Array;
  /**
   * Parse protobuf bytes. Fields this schema does not know are dropped: to rewrite stored bytes
   * without losing them, edit through {@link RegistryDocument} or `spliceMessage`.
   */
  decode(bytes: Uint8Array): T;
}

/** How decoded messages look: int64 as bigint, enums as numbers, empty repeated/map fields present. */
export const PROTO_OBJECT_OPTIONS: protobuf.IConversionOptions = { longs: BigInt, enums: Number, arrays: true, objects: true };

/** A {@link ProtoCodec} for a message type of the registry schema. */
export function codecFor<T>(type: protobuf.Type): ProtoCodec<T> {
  const typeName = type.fullName.replace(/^\./, '');
  return {
    typeName,
    encode(message: T): Uint8Array {
      try {
        return type.encode(type.fromObject(message as Record<string, unknown>)).finish();
      } catch (cause) {
        throw new RegistryError(`Cannot encode a ${typeName}: ${(cause as Error).message}.`, cause);
      }
    },
    decode(bytes: Uint8Array): T {
      try {
        return type.toObject(type.decode(bytes), PROTO_OBJECT_OPTIONS) as T;
      } catch (cause) {
        throw new RegistryError(
          `Cannot decode ${bytes.length} bytes as ${typeName}: ${(cause as Error).message}. They were not written by Feast, or are corrupt.`,
          cause,
        );
      }
    },
  };
}

/** `feast.core.Permission`. */
export const PermissionProto: ProtoCodec<ProtoObject> = codecFor(PermissionMessage);
/** `feast.core.SavedDataset`. */
export const SavedDatasetProto: ProtoCodec<ProtoObject> = codecFor(SavedDatasetMessage);
/** `feast.core.ValidationReference`. */
export const ValidationReferenceProto: ProtoCodec<ProtoObject> = codecFor(ValidationReferenceMessage);
/** `feast.core.LabelView`. */
export const LabelViewProto: ProtoCodec<ProtoObject> = codecFor(LabelViewMessage);
/** `feast.core.Infra`. */
export const InfraProto: ProtoCodec<ProtoObject> = codecFor(InfraMessage);
