import { endpointSuite } from './endpoint-suite.js';
import { MYSQL } from './stores.js';

endpointSuite(MYSQL);
