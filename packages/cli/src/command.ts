import path from 'node:path';
import type { FeatureStore } from '@feast-ts/core';
import type { CliIo } from './io.js';
import { openStore } from './open-store.js';

/** An option of a command: a `node:util` parseArgs option plus its help. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `<file>`. */
  valueName?: string;
  description: string;
}

/** Parsed option values of a command. */
export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** What a command runs with. */
export class CommandContext {
  constructor(
    /** Streams, cwd and environment. */
    readonly io: CliIo,
    /** Absolute path of the feature repo (`-C`, default the cwd). */
    readonly repo: string,
    /** Whether `--verbose` (or FEAST_TS_DEBUG=1) is on. */
    readonly verbose: boolean,
  ) {}

  /** Resolves a path given on the command line; relative paths are relative to the repo (`-C`). */
  resolvePath(p: string): string {
    return path.resolve(this.repo, p);
  }

  /** Opens the repo's FeatureStore (close it when done). */
  openStore(): Promise<FeatureStore> {
    return openStore(this.repo, this.io.env);
  }

  /** Writes a line to stdout. */
  out(line: string): void {
    this.io.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
  }

  /** Writes a line to stderr. */
  err(line: string): void {
    this.io.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
  }
}

/** A `feast-ts` subcommand. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positional arguments as shown in usage, e.g. `<view> <file>`. */
  args: string;
  /** Longer help text shown by `feast-ts <command> --help`. */
  description: string;
  options: Record<string, OptionSpec>;
  /** Accepted number of positional arguments. */
  positionals: { min: number; max: number };
  /** Examples shown in help. */
  examples?: string[];
  run(ctx: CommandContext, values: OptionValues, positionals: string[]): Promise<number>;
}
