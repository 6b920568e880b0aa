import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// The .proto files ship in the package (`proto/`), one level above src/ and dist/.
const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  // google/protobuf/*.proto come bundled with protobufjs; everything else is ours.
  root.resolvePath = (_origin, target) =>
    target.startsWith(protoDir) || target.startsWith('google/protobuf/') ? target : protoDir + target;
  root.loadSync(['feast/core/Registry.proto'], { keepCase: false });
  root.resolveAll();
  return root;
}

/** The reflected protobuf schema of `feast.core` (Feast's registry), loaded once per process. */
export const feastCoreRoot: protobuf.Root = loadRoot();

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
