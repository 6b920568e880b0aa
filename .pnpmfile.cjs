// Native addons (better-sqlite3) must build against the Node headers installed on
// the machine: there is no network to download them. pnpm passes few environment
// variables to build scripts and ignores `nodedir` in .npmrc, so set it here.
const fs = require('node:fs');

module.exports = {
  hooks: {
    updateConfig(config) {
      if (fs.existsSync('/usr/include/node/node_version.h')) {
        config.extraEnv = { ...(config.extraEnv ?? {}), npm_config_nodedir: '/usr' };
      }
      return config;
    },
  },
};
