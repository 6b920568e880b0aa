/**
 * Feast's Redis connection string: comma-separated items, first the
 * `host:port` nodes, then `key=value` parameters handed to the client
 * (`redis1:6379,redis2:6379,db=0,ssl=true,password=...`). As in Feast, each
 * value is read as JSON when it parses (`true`, `0`, `"text"`), else kept as
 * text; a value cannot contain a comma.
 */

/** One `host:port` item. */
export interface RedisNode {
  host: string;
  port: number;
}

/** A parsed connection string. */
export interface ParsedConnectionString {
  nodes: RedisNode[];
  params: Record<string, unknown>;
}

/** Why a connection string cannot be used (the caller turns it into a FeastConfigError). */
export class ConnectionStringError extends Error {}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function parseNode(item: string): RedisNode {
  // [ipv6]:port, host:port, or a bare host (port 6379, as redis-py defaults it).
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(item);
  const [host, portText] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : item.includes(':') ? [item.slice(0, item.lastIndexOf(':')), item.slice(item.lastIndexOf(':') + 1)] : [item, undefined];
  if (!host) throw new ConnectionStringError(`"${item}" has no host; write host:port, such as localhost:6379`);
  if (portText === undefined || portText === '') return { host, port: 6379 };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new ConnectionStringError(`"${item}" has port "${portText}", which is not a port number (1-65535)`);
  }
  return { host, port };
}

/** Splits a Feast connection string into nodes and parameters. @throws ConnectionStringError */
export function parseConnectionString(connectionString: string): ParsedConnectionString {
  const nodes: RedisNode[] = [];
  const params: Record<string, unknown> = {};
  for (const rawItem of connectionString.split(',')) {
    const item = rawItem.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) {
      nodes.push(parseNode(item));
      continue;
    }
    const key = item.slice(0, eq).trim();
    if (!key) throw new ConnectionStringError(`"${item}" has no parameter name before "="`);
    params[key] = parseValue(item.slice(eq + 1));
  }
  if (nodes.length === 0) throw new ConnectionStringError('it names no host:port; start it with one, such as localhost:6379');
  return { nodes, params };
}
