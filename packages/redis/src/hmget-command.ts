/**
 * `HMGET key field...` with its field list encoded once. A read asks every
 * entity of a view for the same fields, so their RESP bytes are built once
 * per read plan and each command only adds its header and key: ioredis would
 * otherwise encode the 51 arguments of a 1 x 50 read one by one, which cost
 * about as much CPU as the rest of the read.
 */
import { Command } from 'ioredis';

/** A list of hash fields as RESP bulk strings, back to back: what follows the key in an HMGET. */
export interface EncodedFields {
  /** How many fields the bytes hold. */
  readonly count: number;
  /** `$<length>\r\n<field>\r\n` for each field, in order. */
  readonly bytes: Buffer;
}

/** Encodes `fields` as RESP bulk strings, once per read plan. */
export function encodeFields(fields: readonly Buffer[]): EncodedFields {
  const parts: Buffer[] = [];
  for (const f of fields) parts.push(Buffer.from(`$${f.length}\r\n`, 'latin1'), f, CRLF);
  return { count: fields.length, bytes: Buffer.concat(parts) };
}

/** Several encoded field lists as one (the fields of several views asked of one hash). */
export function concatFields(lists: readonly EncodedFields[]): EncodedFields {
  if (lists.length === 1) return lists[0]!;
  let count = 0;
  for (const l of lists) count += l.count;
  return { count, bytes: Buffer.concat(lists.map((l) => l.bytes)) };
}

const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * An HMGET whose replies stay Buffers (as `hmgetBuffer`'s do). Its only
 * argument as ioredis sees it is the key (so a cluster routes it by the key's
 * slot, and resends it after a redirect); the fields are written from their
 * encoded bytes.
 */
export class HmgetCommand extends Command {
  readonly #fields: EncodedFields;

  constructor(key: Buffer, fields: EncodedFields) {
    super('hmget', [key], { replyEncoding: null });
    this.#fields = fields;
  }

  /**
   * The whole command in RESP. The key is read back from `args`, where ioredis keeps it (the
   * store's clients set no key prefix, so it is the key given).
   */
  override toWritable(): Buffer {
    const arg = this.args[0];
    const key = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'utf8');
    const head = `*${this.#fields.count + 2}\r\n$5\r\nhmget\r\n$${key.length}\r\n`;
    const fields = this.#fields.bytes;
    const out = Buffer.allocUnsafe(head.length + key.length + 2 + fields.length);
    let at = out.write(head, 0, 'latin1');
    at += key.copy(out, at);
    out[at++] = 13;
    out[at++] = 10;
    fields.copy(out, at);
    return out;
  }
}
