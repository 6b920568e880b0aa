import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../command.js';
import { rowCoercer, type RawValue } from '../coerce.js';
import { CsvSyntaxError, parseCsvWithHeader } from '../csv.js';
import { CliError, EXIT_OK, usageError } from '../errors.js';
import { JsonlSyntaxError, parseJsonl } from '../jsonl.js';
import { Progress } from '../progress.js';

/** Input formats of `write`. */
export type InputFormat = 'csv' | 'tsv' | 'jsonl';

const FORMAT_BY_EXTENSION: Record<string, InputFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'jsonl' };
const FORMAT_NAMES: Record<string, InputFormat> = { csv: 'csv', tsv: 'tsv', jsonl: 'jsonl', ndjson: 'jsonl', json: 'jsonl' };

/** The input format: `--format` when given, else by the file's extension. */
export function inputFormat(file: string, format: string | undefined): InputFormat {
  if (format !== undefined) {
    const f = FORMAT_NAMES[format.toLowerCase()];
    if (!f) throw usageError(`unknown --format "${format}" (use csv, tsv or jsonl).`, 'write');
    return f;
  }
  const f = FORMAT_BY_EXTENSION[path.extname(file).toLowerCase()];
  if (!f) throw usageError(`cannot tell the format of "${file}" from its extension; pass --format csv or --format jsonl.`, 'write');
  return f;
}

async function readInput(file: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError('FILE_NOT_FOUND', `The input file ${file} does not exist.`, { cause: err });
    if (code === 'EISDIR') throw new CliError('INPUT_INVALID', `${file} is a directory, not a data file.`, { cause: err });
    throw new CliError('INPUT_INVALID', `Cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

interface RawRow {
  line: number;
  values: Record<string, RawValue>;
}

function parseInput(text: string, format: InputFormat, label: string, required: string[]): RawRow[] {
  try {
    if (format === 'jsonl') return parseJsonl(text);
    const { header, rows } = parseCsvWithHeader(text, format === 'tsv' ? '\t' : ',');
    const missing = required.filter((c) => !header.includes(c));
    if (missing.length > 0) {
      throw new CliError(
        'INPUT_INVALID',
        `${label}: the header lacks column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (it has ${header.join(', ')}).`,
        { file: label, line: 1 },
      );
    }
    // An empty CSV cell is null.
    return rows.map(({ line, values }) => {
      const out: Record<string, RawValue> = {};
      for (const [k, v] of Object.entries(values)) out[k] = v === '' ? null : v;
      return { line, values: out };
    });
  } catch (err) {
    if (err instanceof CsvSyntaxError || err instanceof JsonlSyntaxError) {
      // Both name the line in their message ("line 3: ..."); the file goes in front, the same for CSV and JSON lines.
      throw new CliError('INPUT_INVALID', `${label}: ${err.message}`, { cause: err, file: label, ...(err.line > 0 ? { line: err.line } : {}) });
    }
    throw err;
  }
}

/** `feast-ts write <view> <file>`: ingest a CSV or JSON-lines file into a view. */
export const writeCommand: Command = {
  name: 'write',
  summary: "Write a CSV or JSON-lines file into a feature view's online table",
  args: '<view> <file>',
  description: [
    'Reads rows from <file> (CSV with a header line, TSV, or JSON lines; "-" reads stdin) and writes',
    'them to the online table of feature view <view>, in batches. Each row needs the view\'s join',
    'keys, its timestamp field (default event_timestamp) and its features; a "created" column is',
    'optional and other columns are ignored. Values are converted by the view\'s schema:',
    '  Int64         an integer, kept exact beyond 2^53 (CSV text or a JSON integer)',
    '  Float32/64    a number;  Int32: an integer;  Bool: true, false, 1 or 0',
    '  UnixTimestamp an ISO 8601 time (UTC when it has no zone) or seconds since the epoch',
    '  Bytes         base64;  Array(T): a JSON array (in CSV, the cell holds the JSON text)',
    'An empty CSV cell (or a JSON null, or a missing JSON key) is null. Join keys are converted by',
    "the entity's valueType (or the view's field of that name), which must be declared.",
    'Every row is converted before the first write, and the whole file goes to the store in one',
    'write: on a store with transactions (SQLite, MySQL) either every row is written or none is.',
    'With --batch-size the file is written in several writes instead; when one fails, the rows of',
    'the earlier ones stay written, and the error says how many.',
  ].join('\n'),
  options: {
    format: { type: 'string', valueName: '<csv|tsv|jsonl>', description: 'Input format; default: from the file extension (.csv, .tsv, .jsonl, .ndjson, .json).' },
    'batch-size': {
      type: 'string',
      valueName: '<n>',
      description: 'Rows per write to the online store; default: the whole file in one write (all or nothing).',
    },
  },
  positionals: { min: 2, max: 2 },
  examples: ['feast-ts write driver_hourly_stats data/driver_stats.csv', 'cat rows.jsonl | feast-ts write driver_hourly_stats - --format jsonl'],
  async run(ctx, values, [viewName, fileArg]) {
    const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
    if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1)) {
      throw usageError(`--batch-size must be a positive integer, got "${values['batch-size']}".`, 'write');
    }
    const format = inputFormat(fileArg!, typeof values.format === 'string' ? values.format : undefined);
    const file = fileArg === '-' ? '-' : ctx.resolvePath(fileArg!);
    const label = file === '-' ? 'stdin' : path.relative(ctx.io.cwd, file) || file;

    const store = await ctx.openStore();
    try {
      const view = await store.getFeatureView(viewName!);
      const coercer = rowCoercer(view);
      const text = await readInput(file, ctx.io.stdin);
      const raw = parseInput(text, format, label, [...coercer.joinKeys, coercer.timestampField, ...coercer.features]);
      const rows = raw.map(({ line, values: v }) => coercer.coerce(v, `${label} line ${line}`, format === 'jsonl'));

      const started = Date.now();
      const progress = new Progress(ctx.io.stderr, rows.length, view.name);
      const size = batchSize ?? Math.max(1, rows.length);
      let written = 0;
      try {
        for (let start = 0; start < rows.length; start += size) {
          const batch = start === 0 && size >= rows.length ? rows : rows.slice(start, start + size);
          let reported = 0;
          await store.writeToOnlineStore(view.name, batch, {
            progress: (n) => {
              reported += n;
              progress.advance(n);
            },
          });
          // A store need not report progress; count the batch as done once it returns.
          if (reported < batch.length) progress.advance(batch.length - reported);
          written += batch.length;
        }
      } catch (err) {
        progress.abort();
        if (written > 0) {
          // The store's message speaks of its own call (the failing batch); say what earlier batches left behind.
          const firstLine = raw[written]?.line;
          ctx.io.stderr.write(
            `feast-ts: ${written} of ${rows.length} rows of ${label} were written by earlier batches (--batch-size ${size}) and stay written; ` +
              `the write of the batch starting at row ${written + 1}${firstLine === undefined ? '' : ` (line ${firstLine})`} failed:\n`,
          );
        }
        throw err;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      progress.finish(`Wrote ${rows.length} row${rows.length === 1 ? '' : 's'} to ${view.name} from ${label} in ${seconds}s.`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
