import type protobuf from 'protobufjs';
import { RegistryError } from '../errors.js';
import {
  DataSourceMessage,
  EntityMessage,
  FeatureServiceMessage,
  FeatureViewMessage,
  FeatureViewVersionHistoryMessage,
  OnDemandFeatureViewMessage,
  PermissionMessage,
  ProjectMessage,
  ProjectMetadataMessage,
  RegistryMessage,
  SavedDatasetMessage,
  StreamFeatureViewMessage,
  ValidationReferenceMessage,
  LabelViewMessage,
  InfraMessage,
} from './registry-schema.js';
import type {
  DataSourceProto as DataSourceShape,
  EntityProto as EntityShape,
  FeatureServiceProto as FeatureServiceShape,
  FeatureViewProto as FeatureViewShape,
  FeatureViewVersionHistoryProto as FeatureViewVersionHistoryShape,
  OnDemandFeatureViewProto as OnDemandFeatureViewShape,
  ProjectMetadataProto as ProjectMetadataShape,
  ProjectProto as ProjectShape,
  ProtoObject,
  RegistryProto as RegistryShape,
  StreamFeatureViewProto as StreamFeatureViewShape,
} from './registry-types.js';

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

function codecFor<T>(type: protobuf.Type): ProtoCodec<T> {
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

/** `feast.core.Registry`: a whole registry.db. */
export type RegistryProto = RegistryShape;
export const RegistryProto: ProtoCodec<RegistryShape> = codecFor(RegistryMessage);
/** `feast.core.Entity`. */
export type EntityProto = EntityShape;
export const EntityProto: ProtoCodec<EntityShape> = codecFor(EntityMessage);
/** `feast.core.FeatureView`. */
export type FeatureViewProto = FeatureViewShape;
export const FeatureViewProto: ProtoCodec<FeatureViewShape> = codecFor(FeatureViewMessage);
/** `feast.core.StreamFeatureView`. */
export type StreamFeatureViewProto = StreamFeatureViewShape;
export const StreamFeatureViewProto: ProtoCodec<StreamFeatureViewShape> = codecFor(StreamFeatureViewMessage);
/** `feast.core.OnDemandFeatureView`. */
export type OnDemandFeatureViewProto = OnDemandFeatureViewShape;
export const OnDemandFeatureViewProto: ProtoCodec<OnDemandFeatureViewShape> = codecFor(OnDemandFeatureViewMessage);
/** `feast.core.FeatureService`. */
export type FeatureServiceProto = FeatureServiceShape;
export const FeatureServiceProto: ProtoCodec<FeatureServiceShape> = codecFor(FeatureServiceMessage);
/** `feast.core.DataSource`. */
export type DataSourceProto = DataSourceShape;
export const DataSourceProto: ProtoCodec<DataSourceShape> = codecFor(DataSourceMessage);
/** `feast.core.Project`. */
export type ProjectProto = ProjectShape;
export const ProjectProto: ProtoCodec<ProjectShape> = codecFor(ProjectMessage);
/** `feast.core.ProjectMetadata`. */
export type ProjectMetadataProto = ProjectMetadataShape;
export const ProjectMetadataProto: ProtoCodec<ProjectMetadataShape> = codecFor(ProjectMetadataMessage);
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
/** `feast.core.FeatureViewVersionHistory`. */
export type FeatureViewVersionHistoryProto = FeatureViewVersionHistoryShape;
export const FeatureViewVersionHistoryProto: ProtoCodec<FeatureViewVersionHistoryShape> = codecFor(FeatureViewVersionHistoryMessage);
