import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, parseCsvWithHeader } from '../src/csv.js';

const cells = (text: string, delimiter = ','): string[][] => parseCsv(text, delimiter).map((r) => r.cells);

describe('parseCsv', () => {
  it('splits plain records and skips blank lines and the trailing newline', () => {
    expect(cells('a,b,c\n1,2,3\n\n4,5,6\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3'], ['4', '5', '6']]);
  });

  it('keeps commas, escaped quotes and newlines inside quoted fields', () => {
    const text = 'id,note\n1,"hello, world"\n2,"she said ""hi"""\n3,"line one\nline two"\n4,""\n';
    expect(cells(text)).toEqual([
      ['id', 'note'],
      ['1', 'hello, world'],
      ['2', 'she said "hi"'],
      ['3', 'line one\nline two'],
      ['4', ''],
    ]);
  });

  it('reports the line each record starts on, counting newlines inside quotes', () => {
    const records = parseCsv('h\n"a\nb"\nc\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('handles CRLF, a byte-order mark, empty cells and no final newline', () => {
    expect(cells('\uFEFFa,b\r\n1,\r\n,2')).toEqual([['a', 'b'], ['1', ''], ['', '2']]);
  });

  it('keeps a CRLF inside quotes as data', () => {
    expect(cells('a\r\n"x\r\ny"\r\n')).toEqual([['a'], ['x\r\ny']]);
  });

  it('supports another delimiter', () => {
    expect(cells('a\tb\n"1,5"\t2\n', '\t')).toEqual([['a', 'b'], ['1,5', '2']]);
  });

  it('rejects an unterminated quote and text after a closing quote', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow(/unterminated quoted field starting on line 2/);
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow(CsvSyntaxError);
  });
});

describe('parseCsvWithHeader', () => {
  it('keys rows by header with line numbers', () => {
    const { header, rows } = parseCsvWithHeader('driver_id,conv_rate\n1001,0.5\n1002,"0.25"\n');
    expect(header).toEqual(['driver_id', 'conv_rate']);
    expect(rows).toEqual([
      { line: 2, values: { driver_id: '1001', conv_rate: '0.5' } },
      { line: 3, values: { driver_id: '1002', conv_rate: '0.25' } },
    ]);
  });

  it('rejects rows with the wrong number of cells, duplicate columns and empty files', () => {
    expect(() => parseCsvWithHeader('a,b\n1,2,3\n')).toThrow(/line 2: 3 cells, but the header has 2 columns/);
    expect(() => parseCsvWithHeader('a,a\n1,2\n')).toThrow(/names column "a" twice/);
    expect(() => parseCsvWithHeader('')).toThrow(/empty/);
  });
});
