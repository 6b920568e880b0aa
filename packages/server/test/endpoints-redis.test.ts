import { endpointSuite } from './endpoint-suite.js';
import { REDIS } from './stores.js';

endpointSuite(REDIS);
