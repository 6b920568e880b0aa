import { endpointSuite } from './endpoint-suite.js';
import { SQLITE } from './stores.js';

endpointSuite(SQLITE);
