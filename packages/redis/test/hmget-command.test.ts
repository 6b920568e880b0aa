/**
 * The pre-encoded HMGET writes the same bytes as ioredis's own encoding of
 * `HMGET key field...` (its Command with every argument), for binary keys and
 * fields, empty fields, and field lists joined from several views.
 */
import { Command } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { concatFields, encodeFields, HmgetCommand } from '../src/hmget-command.js';

const ioredisBytes = (key: Buffer, fields: Buffer[]): Buffer => {
  const w = new Command('hmget', [key, ...fields], { replyEncoding: null }).toWritable({});
  return Buffer.isBuffer(w) ? w : Buffer.from(w, 'utf8');
};

describe('HmgetCommand', () => {
  const key = Buffer.from([0x02, 0x00, 0x00, 0x00, 0xff, 0x0d, 0x0a, 0x00, 0x70, 0x72, 0x6f, 0x6a]);
  const fields = [Buffer.from([0xde, 0xad, 0xbe, 0xef]), Buffer.from([0x0d, 0x0a, 0x24, 0x31]), Buffer.from('_ts:stats', 'utf8')];

  it('writes what ioredis writes for the same HMGET', () => {
    expect(new HmgetCommand(key, encodeFields(fields)).toWritable()).toEqual(ioredisBytes(key, fields));
  });

  it('writes an empty field and an empty key as empty bulk strings', () => {
    const withEmpty = [Buffer.alloc(0), ...fields];
    expect(new HmgetCommand(Buffer.alloc(0), encodeFields(withEmpty)).toWritable()).toEqual(ioredisBytes(Buffer.alloc(0), withEmpty));
  });

  it('joins the field lists of several views in order, counting every field', () => {
    const other = [Buffer.from([1, 2, 3, 4]), Buffer.from('_ts:other', 'utf8')];
    const joined = concatFields([encodeFields(fields), encodeFields(other)]);
    expect(joined.count).toBe(5);
    expect(new HmgetCommand(key, joined).toWritable()).toEqual(ioredisBytes(key, [...fields, ...other]));
  });

  it('routes by its key alone: ioredis sees the key as its only argument', () => {
    const c = new HmgetCommand(key, encodeFields(fields));
    expect(c.getKeys()).toEqual([key]);
    expect(c.args).toEqual([key]);
  });
});
