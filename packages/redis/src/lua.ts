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
