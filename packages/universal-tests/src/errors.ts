import { FeastConfigError } from '@feast-ts/core';

/**
 * The module named by `FULL_REPO_CONFIGS_MODULE` (or passed to
 * `loadFullRepoConfigs`) cannot be imported, or its export is not a valid
 * `FULL_REPO_CONFIGS` array or `AVAILABLE_ONLINE_STORES` map. The message
 * names the module and the offending entry. Its `code` is `CONFIG_INVALID`.
 */
export class FullRepoConfigsError extends FeastConfigError {
  /** The module as it was given (a path relative to the current directory, or a package name). */
  readonly moduleSpecifier: string;

  constructor(moduleSpecifier: string, message: string, details: { file?: string; keyPath?: string; cause?: unknown } = {}) {
    super(message, details);
    this.moduleSpecifier = moduleSpecifier;
  }
}
