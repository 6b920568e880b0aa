import { FeastConfigError, FeastError } from '@feast-ts/core';

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

/**
 * The `feast-universal-tests` runner cannot start: a package it needs (vitest,
 * a peer dependency) is missing or unusable. Its `code` is `DEPENDENCY_MISSING`.
 */
export class RunnerDependencyError extends FeastError {
  /** The package that is missing. */
  readonly packageName: string;

  constructor(packageName: string, message: string, cause?: unknown) {
    super('DEPENDENCY_MISSING', message, { cause });
    this.packageName = packageName;
  }
}
