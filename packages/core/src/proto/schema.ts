import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// The .proto files ship in the package (`proto/`), one level above src/ and dist/.
const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith(protoDir) ? target : protoDir + target);
  root.loadSync(['feast/types/Value.proto', 'feast/types/EntityKey.proto'], { keepCase: false });
  root.resolveAll();
  return root;
}

/** The reflected protobuf schema of `feast.types`, loaded once per process. */
export const feastTypesRoot: protobuf.Root = loadRoot();

export const ValueMessage: protobuf.Type = feastTypesRoot.lookupType('feast.types.Value');
export const EntityKeyMessage: protobuf.Type = feastTypesRoot.lookupType('feast.types.EntityKey');
