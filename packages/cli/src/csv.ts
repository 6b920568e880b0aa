/**
 * A small RFC 4180 CSV parser: quoted fields may hold commas, quotes (`""`)
 * and newlines; CRLF and LF line ends; a leading byte-order mark is ignored.
 */

/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** Thrown for malformed CSV (an unterminated quote, text after a closing quote). */
export class CsvSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Parses CSV text into records. Empty lines are skipped.
 * @throws CsvSyntaxError
 */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new CsvSyntaxError(`invalid CSV delimiter ${JSON.stringify(delimiter)}`, 0);
  }
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  let cells: string[] = [];
  let recordLine = 1;
  let field = '';
  let fieldQuoted = false;

  const endRecord = (): void => {
    cells.push(field);
    // A line with nothing on it is not a record (blank lines, the trailing newline).
    if (!(cells.length === 1 && cells[0] === '' && !fieldQuoted)) records.push({ line: recordLine, cells });
    cells = [];
    field = '';
    fieldQuoted = false;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '"' && field === '' && !fieldQuoted) {
      // A quoted field: read to the closing quote.
      const openLine = line;
      fieldQuoted = true;
      i++;
      for (;;) {
        if (i >= n) throw new CsvSyntaxError(`unterminated quoted field starting on line ${openLine}`, openLine);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(`line ${line}: unexpected ${JSON.stringify(next)} after a closing quote (write "" for a quote inside a quoted field)`, line);
      }
      continue;
    }
    if (c === delimiter) {
      cells.push(field);
      field = '';
      fieldQuoted = false;
      i++;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || fieldQuoted || cells.length > 0) endRecord();
  return records;
}

/** A CSV data row keyed by header name, with its line number. */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

/**
 * Parses CSV with a header line into rows keyed by column name.
 * @throws CsvSyntaxError for malformed CSV, a duplicate column, or a row whose cell count differs from the header's
 */
export function parseCsvWithHeader(text: string, delimiter = ','): { header: string[]; rows: CsvRow[] } {
  const records = parseCsv(text, delimiter);
  const first = records[0];
  if (!first) throw new CsvSyntaxError('the file is empty: expected a header line', 1);
  const header = first.cells.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new CsvSyntaxError(`line ${first.line}: the header has an empty column name`, first.line);
    if (seen.has(h)) throw new CsvSyntaxError(`line ${first.line}: the header names column "${h}" twice`, first.line);
    seen.add(h);
  }
  const rows: CsvRow[] = [];
  for (const rec of records.slice(1)) {
    if (rec.cells.length !== header.length) {
      throw new CsvSyntaxError(`line ${rec.line}: ${rec.cells.length} cells, but the header has ${header.length} columns`, rec.line);
    }
    const values: Record<string, string> = Object.create(null) as Record<string, string>;
    header.forEach((h, k) => (values[h] = rec.cells[k]!));
    rows.push({ line: rec.line, values });
  }
  return { header, rows };
}
