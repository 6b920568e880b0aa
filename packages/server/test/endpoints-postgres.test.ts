import { endpointSuite } from './endpoint-suite.js';
import { POSTGRES } from './stores.js';

endpointSuite(POSTGRES);
