/** A stream the CLI writes to: `process.stdout`, `process.stderr`, or a test double. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal (enables the progress bar on stderr). */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

/** Where a CLI run reads and writes: the process by default, anything in tests. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read by `write <view> -` (the file `-`). */
  stdin: NodeJS.ReadableStream;
  /** Directory relative paths resolve from (before `-C`). */
  cwd: string;
  /** Environment (`FEAST_TS_DEBUG`, and `${VAR}` expansion in feature_store.yaml). */
  env: NodeJS.ProcessEnv;
}

/** Fills the parts of `io` that were not given from the current process. */
export function processIo(io: Partial<CliIo> = {}): CliIo {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
}
