import protobuf from 'protobufjs';
import { bytesEqual, concatBytes, encodeVarint, splitRecords, type WireRecord } from './wire.js';

/**
 * Rewrites a stored message so that it says what `newBytes` says while keeping, byte for byte,
 * everything of `oldBytes` that `type` does not know (fields added by a newer Feast), at every
 * depth of nested messages. Known fields take their value from `newBytes`; nested messages present
 * in both are spliced recursively (repeated ones paired by their first field, such as a name or a
 * map key). When nothing known changed, the result is `oldBytes` itself.
 */
export function spliceMessage(type: protobuf.Type, oldBytes: Uint8Array, newBytes: Uint8Array): Uint8Array {
  if (bytesEqual(oldBytes, newBytes)) return oldBytes;
  const oldRecs = splitRecords(oldBytes);
  const newRecs = splitRecords(newBytes);
  const newByField = groupByField(newRecs);
  const oldByField = groupByField(oldRecs);
  const out: Uint8Array[] = [];
  const done = new Set<number>();
  const pending = [...newByField.keys()].filter((f) => !oldByField.has(f)).sort((a, b) => a - b);

  const emitPendingBelow = (limit: number): void => {
    while (pending.length > 0 && pending[0]! < limit) {
      const f = pending.shift()!;
      for (const r of newByField.get(f)!) out.push(r.bytes);
      done.add(f);
    }
  };

  for (const rec of oldRecs) {
    const field = type.fieldsById[rec.field];
    if (!field) {
      out.push(rec.bytes); // unknown to this schema: kept as found
      continue;
    }
    if (done.has(rec.field)) continue;
    emitPendingBelow(rec.field);
    done.add(rec.field);
    const olds = oldByField.get(rec.field)!;
    const news = newByField.get(rec.field) ?? [];
    out.push(...mergeField(field, olds, news));
  }
  emitPendingBelow(Number.POSITIVE_INFINITY);
  const result = concatBytes(out);
  return bytesEqual(result, oldBytes) ? oldBytes : result;
}

function groupByField(recs: readonly WireRecord[]): Map<number, WireRecord[]> {
  const m = new Map<number, WireRecord[]>();
  for (const r of recs) {
    const list = m.get(r.field);
    if (list) list.push(r);
    else m.set(r.field, [r]);
  }
  return m;
}

function messageTypeOf(field: protobuf.Field): protobuf.Type | undefined {
  field.resolve();
  if (field instanceof protobuf.MapField) return undefined;
  return field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
}

function mergeField(field: protobuf.Field, olds: WireRecord[], news: WireRecord[]): Uint8Array[] {
  const same = olds.length === news.length && olds.every((o, i) => bytesEqual(o.bytes, news[i]!.bytes));
  if (same) return olds.map((o) => o.bytes);
  const sub = messageTypeOf(field);
  const isMap = field instanceof protobuf.MapField;
  if (!sub && !isMap) return news.map((n) => n.bytes);
  if (!field.repeated && !isMap) {
    // A singular message: splice the last old occurrence into the new one.
    if (news.length === 0) return [];
    const old = olds[olds.length - 1]!;
    const nw = news[news.length - 1]!;
    return [wrap(nw, sub ? spliceMessage(sub, old.payload, nw.payload) : nw.payload)];
  }
  // Repeated messages and map entries: pair each new element with an unused old one that has the
  // same first field (a name, a map key); unpaired new elements are written as new.
  const used = new Set<number>();
  return news.map((nw) => {
    const key = firstField(nw);
    let match = -1;
    for (let i = 0; i < olds.length; i++) {
      if (used.has(i)) continue;
      if (bytesEqual(olds[i]!.bytes, nw.bytes)) {
        match = i;
        break;
      }
      if (match < 0 && key && firstFieldEquals(olds[i]!, key)) match = i;
    }
    if (match < 0) return nw.bytes;
    used.add(match);
    const old = olds[match]!;
    if (bytesEqual(old.bytes, nw.bytes)) return old.bytes;
    // Map entries: keep the old entry's unknown parts only when its value is a message.
    if (isMap) return nw.bytes;
    return wrap(nw, spliceMessage(sub!, old.payload, nw.payload));
  });
}

function firstField(rec: WireRecord): Uint8Array | undefined {
  if (rec.wireType !== 2) return undefined;
  try {
    const first = splitRecords(rec.payload)[0];
    return first && first.field === 1 ? first.bytes : undefined;
  } catch {
    return undefined;
  }
}

function firstFieldEquals(rec: WireRecord, key: Uint8Array): boolean {
  const k = firstField(rec);
  return k !== undefined && bytesEqual(k, key);
}

function wrap(template: WireRecord, payload: Uint8Array): Uint8Array {
  if (payload === template.payload) return template.bytes;
  const tagLen = template.bytes.length - template.payload.length - lengthPrefixSize(template.payload.length);
  const tag = template.bytes.subarray(0, tagLen);
  return concatBytes([tag, encodeVarint(payload.length), payload]);
}

function lengthPrefixSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

