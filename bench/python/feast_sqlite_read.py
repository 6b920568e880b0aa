"""Feast's SQLite online read, in Python, as a peer for bench/sqlite-bench.mjs.

The algorithm of Feast's sdk/python/feast/infra/online_stores/sqlite.py
(`online_read`): serialize every entity key (version 3), one
`SELECT entity_key, feature_name, value, event_ts ... WHERE entity_key IN (...)
ORDER BY entity_key`, `fetchall`, group the rows by key with
`itertools.groupby`, parse each value with `Value.ParseFromString`; then to
Python values as Feast's `OnlineResponse.to_dict()` does per value
(`WhichOneof("val")`, `getattr`, a `.val` list unwrapped), column by column.
Feast's own response building (GetOnlineFeaturesResponse) is left out, which
only makes this peer faster than Feast itself.

The `feast.types.Value` message is built at start-up from a descriptor
holding its scalar members (fields 1 to 8) and `null_val`, with the field
numbers of Feast's Value.proto; the C++ (upb) protobuf backend parses it.

Protocol (one JSON object a line): the first line
`{"db": path, "tables": {"name": "sqlite table"}}`; then per call
`{"table": name, "ids": [int, ...], "features": [name, ...]}`, answered with
`{"ms": elapsed, "rows": non-null values}` (time measured inside Python
around the read and the conversion only). Exits on end of input.
"""

import itertools
import json
import sqlite3
import struct
import sys
import time
from datetime import datetime

try:
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    from google.protobuf.internal import api_implementation
except ImportError:  # python3-protobuf is not installed: the bench prints a note
    print(json.dumps({"error": "no module google.protobuf (apt-get install python3-protobuf)"}), flush=True)
    sys.exit(0)


def value_class():
    fdp = descriptor_pb2.FileDescriptorProto(name="bench_value.proto", package="feast.types", syntax="proto3")
    null_enum = fdp.enum_type.add(name="Null")
    null_enum.value.add(name="NULL", number=0)
    msg = fdp.message_type.add(name="Value")
    msg.oneof_decl.add(name="val")
    F = descriptor_pb2.FieldDescriptorProto
    fields = [
        ("bytes_val", 1, F.TYPE_BYTES), ("string_val", 2, F.TYPE_STRING), ("int32_val", 3, F.TYPE_INT32),
        ("int64_val", 4, F.TYPE_INT64), ("double_val", 5, F.TYPE_DOUBLE), ("float_val", 6, F.TYPE_FLOAT),
        ("bool_val", 7, F.TYPE_BOOL), ("unix_timestamp_val", 8, F.TYPE_INT64),
    ]
    for name, number, ftype in fields:
        msg.field.add(name=name, number=number, type=ftype, label=F.LABEL_OPTIONAL, oneof_index=0)
    msg.field.add(name="null_val", number=19, type=F.TYPE_ENUM, type_name=".feast.types.Null", label=F.LABEL_OPTIONAL, oneof_index=0)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    desc = pool.FindMessageTypeByName("feast.types.Value")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


def convert_timestamp(val):
    """Feast's converter of the `timestamp` columns (epoch seconds) to datetime."""
    return datetime.fromtimestamp(int(val))


sqlite3.register_converter("timestamp", convert_timestamp)
ValueProto = value_class()
JOIN_KEY = b"driver_id"


def serialize_entity_key(driver_id):
    """Feast's serialize_entity_key, version 3, of one INT64 join key."""
    return (
        struct.pack("<I", 1)
        + struct.pack("<II", 2, len(JOIN_KEY)) + JOIN_KEY
        + struct.pack("<II", 4, 8) + struct.pack("<q", driver_id)
    )


def online_read(cur, table, ids):
    keys = [serialize_entity_key(i) for i in ids]
    cur.execute(
        f"SELECT entity_key, feature_name, value, event_ts FROM {table} "
        f"WHERE entity_key IN ({','.join('?' * len(keys))}) ORDER BY entity_key",
        keys,
    )
    rows = cur.fetchall()
    grouped = {k: list(g) for k, g in itertools.groupby(rows, key=lambda r: r[0])}
    result = []
    for i in ids:
        res = {}
        res_ts = None
        for _, feature_name, val_bin, ts in grouped.get(serialize_entity_key(i), []):
            val = ValueProto()
            val.ParseFromString(val_bin)
            res[feature_name] = val
            res_ts = ts
        result.append((None, None) if not res else (res_ts, res))
    return result


def to_python(value):
    """Feast's feast_value_type_to_python_type for the scalar members."""
    attr = value.WhichOneof("val")
    if attr is None:
        return None
    val = getattr(value, attr)
    if hasattr(val, "val"):
        val = list(val.val)
    return val


def to_dict(ids, features, result):
    out = {"driver_id": list(ids)}
    for f in features:
        out[f] = [None if values is None or f not in values else to_python(values[f]) for _, values in result]
    return out


def main():
    setup = json.loads(sys.stdin.readline())
    conn = sqlite3.connect(setup["db"], detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    tables = setup["tables"]
    print(json.dumps({"ready": True, "protobuf": api_implementation.Type(), "sqlite": sqlite3.sqlite_version}), flush=True)
    cur = conn.cursor()
    for line in sys.stdin:
        req = json.loads(line)
        table = tables[req["table"]]
        start = time.perf_counter()
        out = to_dict(req["ids"], req["features"], online_read(cur, table, req["ids"]))
        ms = (time.perf_counter() - start) * 1000
        present = sum(1 for f in req["features"] for v in out[f] if v is not None)
        print(json.dumps({"ms": ms, "rows": present}), flush=True)


main()
