import protobuf from 'protobufjs';
import { feastCoreDescriptor } from './generated/feast-core.js';

/**
 * The reflected protobuf schema of `feast.core` (Feast's registry), built once per process from
 * the descriptor generated at build time from proto/feast/core/*.proto (no .proto file is read at
 * run time).
 */
export const feastCoreRoot: protobuf.Root = protobuf.Root.fromJSON(feastCoreDescriptor);
feastCoreRoot.resolveAll();

const type = (name: string): protobuf.Type => feastCoreRoot.lookupType(name);

/** `feast.core.Registry`: the whole content of a registry.db file. */
export const RegistryMessage: protobuf.Type = type('feast.core.Registry');
export const EntityMessage: protobuf.Type = type('feast.core.Entity');
export const FeatureViewMessage: protobuf.Type = type('feast.core.FeatureView');
export const StreamFeatureViewMessage: protobuf.Type = type('feast.core.StreamFeatureView');
export const OnDemandFeatureViewMessage: protobuf.Type = type('feast.core.OnDemandFeatureView');
export const FeatureServiceMessage: protobuf.Type = type('feast.core.FeatureService');
export const DataSourceMessage: protobuf.Type = type('feast.core.DataSource');
export const ProjectMessage: protobuf.Type = type('feast.core.Project');
export const ProjectMetadataMessage: protobuf.Type = type('feast.core.ProjectMetadata');
export const PermissionMessage: protobuf.Type = type('feast.core.Permission');
export const SavedDatasetMessage: protobuf.Type = type('feast.core.SavedDataset');
export const ValidationReferenceMessage: protobuf.Type = type('feast.core.ValidationReference');
export const LabelViewMessage: protobuf.Type = type('feast.core.LabelView');
export const FeatureTableMessage: protobuf.Type = type('feast.core.FeatureTable');
export const InfraMessage: protobuf.Type = type('feast.core.Infra');
export const FeatureViewVersionHistoryMessage: protobuf.Type = type('feast.core.FeatureViewVersionHistory');
export const TimestampMessage: protobuf.Type = type('google.protobuf.Timestamp');
