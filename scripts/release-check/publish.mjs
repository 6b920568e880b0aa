// The publish step: `node scripts/release.mjs` (the publish half of
// `pnpm release`) in the throwaway copy, with NPM_CONFIG_REGISTRY naming the
// local registry and every other registry unreachable: all proxy settings
// point at a loopback proxy that refuses and records each request. Before it,
// the same environment is shown to block the usual registry (npm and pnpm
// both fail to fetch a package from it, and the proxy saw them try).
import path from 'node:path';
import { CheckFailure, envWithout, runAsync } from './util.mjs';

const LOOPBACK = '127.0.0.1,localhost,::1';
const NETWORK_VARS = [
  'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY',
  'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_http_proxy', 'npm_config_noproxy', 'npm_config_registry',
  'pnpm_config_proxy', 'pnpm_config_https_proxy', 'pnpm_config_http_proxy', 'pnpm_config_noproxy', 'pnpm_config_registry',
  // No attestation on a throwaway registry.
  'npm_config_provenance',
];

/** The environment in which only loopback addresses are reachable: every proxy setting of npm, pnpm and the usual variables is the refusing proxy. */
export function unreachableEnv(env, proxyUrl) {
  const out = envWithout(env, NETWORK_VARS);
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) out[name] = proxyUrl;
  for (const name of ['npm_config_proxy', 'npm_config_https_proxy', 'pnpm_config_proxy', 'pnpm_config_https_proxy', 'pnpm_config_http_proxy']) out[name] = proxyUrl;
  for (const name of ['NO_PROXY', 'no_proxy', 'npm_config_noproxy', 'pnpm_config_noproxy']) out[name] = LOOPBACK;
  // Fail at once instead of retrying a registry that cannot answer.
  out.npm_config_fetch_retries = '0';
  out.pnpm_config_fetch_retries = '0';
  return out;
}

/**
 * Shows that, in the unreachable environment, the usual registry cannot be
 * reached: `npm view <dep>` and `pnpm view <dep>` must fail and the proxy must
 * have seen them. Returns a line for the log.
 */
export async function proveUsualRegistryUnreachable(cwd, env, proxy, dependency) {
  proxy.reset();
  const problems = [];
  const seen = [];
  for (const tool of ['npm', 'pnpm']) {
    const before = proxy.requests.length;
    // npm gives up at once; pnpm keeps retrying through the proxy, so it is stopped after 10 s.
    const res = await runAsync(tool, ['view', dependency, 'version'], { cwd, env, timeout: tool === 'pnpm' ? 10_000 : 90_000 });
    if (res.status === 0) problems.push(`\`${tool} view ${dependency}\` reached the usual registry through the guard (it printed ${res.stdout.trim()})`);
    else if (proxy.requests.length === before) problems.push(`\`${tool} view ${dependency}\` failed but never went through the guard proxy, so the guard is not what stops it: ${(res.stderr || res.stdout).trim().split('\n')[0]}`);
    else seen.push(`${tool}${res.signal ? ' (still retrying after 10 s, stopped)' : ''}: ${proxy.requests[before]}`);
  }
  if (problems.length > 0) throw new CheckFailure('guard', problems);
  return `the usual registry is unreachable: \`npm view ${dependency}\` and \`pnpm view ${dependency}\` failed, stopped at the guard proxy (${seen.join('; ')})`;
}

/**
 * Runs the publish half of `pnpm release` in `copyDir` against `registryUrl`
 * with the guard in place; fails if it exits non-zero or if anything went
 * through the guard proxy while it ran.
 */
export async function publishToLocalRegistry(copyDir, env, proxy, registryUrl) {
  proxy.reset();
  const publishEnv = { ...env, NPM_CONFIG_REGISTRY: registryUrl };
  const res = await runAsync(process.execPath, [path.join(copyDir, 'scripts', 'release.mjs')], { cwd: copyDir, env: publishEnv, timeout: 240_000 });
  const output = `${res.stdout}${res.stderr}`;
  const problems = [];
  if (res.status !== 0) problems.push(`\`pnpm release\` (scripts/release.mjs) exited with ${res.status ?? res.signal}:\n${output.trim().slice(-4000)}`);
  if (proxy.requests.length > 0) problems.push(`while publishing, ${proxy.requests.length} request(s) tried to leave the machine: ${proxy.requests.slice(0, 5).join('; ')}`);
  if (problems.length > 0) throw new CheckFailure('publish', problems);
  return output;
}
