/**
 * Deletes views from one hash, atomically: ARGV is the number of views, then
 * each view's `_ts:<view>` field, then the feature fields to delete. A hash
 * that holds none of these views is left alone; otherwise their fields go,
 * and the hash itself when no `_ts:` field (no view) is left in it.
 * Returns 0 (not touched), 1 (fields deleted) or 2 (hash deleted).
 */
export const DROP_VIEWS_LUA = `
local nviews = tonumber(ARGV[1])
local found = false
for i = 2, nviews + 1 do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then found = true break end
end
if not found then return 0 end
local batch = {}
for i = 2, #ARGV do
  batch[#batch + 1] = ARGV[i]
  if #batch == 500 then redis.call('HDEL', KEYS[1], unpack(batch)) batch = {} end
end
if #batch > 0 then redis.call('HDEL', KEYS[1], unpack(batch)) end
local left = redis.call('HKEYS', KEYS[1])
for i = 1, #left do
  if string.sub(left[i], 1, 4) == '_ts:' then return 1 end
end
redis.call('DEL', KEYS[1])
return 2
`;

/** The body of the write scripts below, after their prelude sets `keys` (the hashes) and `a0` (where ARGV's common part starts, less one). */
const WRITE_NEWER_BODY = `
local function varint(b, i)
  local groups = {}
  while true do
    local c = string.byte(b, i)
    if c == nil then return nil, 'truncated varint' end
    i = i + 1
    groups[#groups + 1] = c % 128
    if c < 128 then break end
    if #groups == 10 then return nil, 'varint longer than 10 bytes' end
  end
  local v = 0
  if #groups == 10 and groups[10] % 2 == 1 then
    for j = 9, 1, -1 do v = v * 128 + (127 - groups[j]) end
    return -(v + 1), i
  end
  for j = math.min(#groups, 9), 1, -1 do v = v * 128 + groups[j] end
  return v, i
end
local function timestamp(b)
  local seconds, nanos, i = 0, 0, 1
  while i <= #b do
    local tag, v
    tag, i = varint(b, i)
    if tag == nil then return nil, i end
    local field, wire = math.floor(tag / 8), tag % 8
    if wire == 0 then
      v, i = varint(b, i)
      if v == nil then return nil, i end
      if field == 1 then seconds = v elseif field == 2 then nanos = v end
    elseif wire == 2 then
      v, i = varint(b, i)
      if v == nil then return nil, i end
      i = i + v
    elseif wire == 1 then i = i + 8
    elseif wire == 5 then i = i + 4
    else return nil, 'wire type ' .. wire end
  end
  if i > #b + 1 then return nil, 'truncated field' end
  return seconds, nanos
end
local tsField, ttl = ARGV[a0 + 1], ARGV[a0 + 2]
local write = {}
local pos = a0 + 3
for k = 1, #keys do
  local n = tonumber(ARGV[pos])
  local ok = true
  local stored = redis.call('HGET', keys[k], tsField)
  if stored and #stored > 0 then
    local seconds, nanos = timestamp(stored)
    if seconds == nil then
      return redis.error_reply('FEASTTS_BAD_TS ' .. k .. ' ' .. tsField .. ' of ' .. #stored .. ' bytes is not a google.protobuf.Timestamp (' .. nanos .. ')')
    end
    if seconds ~= 0 or nanos ~= 0 then
      local s, ns = tonumber(ARGV[pos + 1]), tonumber(ARGV[pos + 2])
      ok = s > seconds or (s == seconds and ns > nanos)
    end
  end
  if ok then write[#write + 1] = k write[#write + 1] = pos end
  pos = pos + 4 + 2 * n
end
for w = 1, #write, 2 do
  local k, p = write[w], write[w + 1]
  local last = p + 3 + 2 * tonumber(ARGV[p])
  local first = p + 4
  if last - first < 4000 then
    redis.call('HSET', keys[k], tsField, ARGV[p + 3], unpack(ARGV, first, last))
  else
    redis.call('HSET', keys[k], tsField, ARGV[p + 3])
    while first <= last do
      local stop = math.min(first + 3999, last)
      redis.call('HSET', keys[k], unpack(ARGV, first, stop))
      first = stop + 1
    end
  end
  if ttl ~= '' then redis.call('EXPIRE', keys[k], ttl) end
end
return #write / 2
`;

/**
 * Feast's write rule on the server, for a batch of hashes in one call:
 * writes each row unless the `_ts:<view>` already stored in its hash is
 * newer or the same.
 *
 * KEYS are the hashes (on a cluster, all in one slot). ARGV: `_ts:<view>`,
 * the TTL in seconds or '' for none, then per key: its number of features
 * n, the row's seconds and nanos (decimal), its Timestamp bytes, and n
 * feature fields and values. Every stored Timestamp is read and checked
 * before anything is written: it is decoded as protobuf does (unknown
 * fields skipped, negative seconds as 10-byte varints); a missing, empty or
 * zero one loses to any row. Seconds compare exactly as Lua numbers for
 * every Date (|seconds| < 2^53).
 *
 * Returns the number of rows written, or, when a stored field is not a
 * Timestamp, an error reply `FEASTTS_BAD_TS <key index> <why>` with nothing
 * of the call written.
 */
export const WRITE_NEWER_LUA = `local keys, a0 = KEYS, 0
${WRITE_NEWER_BODY}`;

/**
 * {@link WRITE_NEWER_LUA} for the hashes of one cluster node, of any slots
 * (Redis 7 and later): KEYS[1] only routes the call to the node; ARGV starts
 * with the number of hashes and the hashes, then continues as in
 * WRITE_NEWER_LUA. Every hash must be on the node that runs it, else Redis
 * refuses it ("non local key") before anything is written, and the store
 * regroups the keys and resends.
 */
export const WRITE_NEWER_ON_NODE_LUA = `#!lua flags=allow-cross-slot-keys
local nk = tonumber(ARGV[1])
local keys, a0 = {}, nk + 1
for i = 1, nk do keys[i] = ARGV[1 + i] end
${WRITE_NEWER_BODY}`;
