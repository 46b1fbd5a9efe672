-- Moves a shot to a new state (or rewrites it in place) and appends the events that say so, in one
-- step: either the shot changes and every event is in the log, or nothing happens. The caller read
-- version ARGV[1] and checked the move against the lifecycle; a concurrent write makes this refuse.
-- The show's code index follows (lib-shot-codes.lua): a cancelled shot frees its code, and a revision
-- that renames the shot takes the new code unless another live shot has it.
-- KEYS[1] shot hash, KEYS[2] stream, KEYS[3] the shot's event index (its events' subject is the shot),
-- KEYS[4] old show+state set, KEYS[5] new show+state set, KEYS[6] the show's code index
-- ARGV[1] expected version, ARGV[2] new state, ARGV[3] record, ARGV[4] shot id, ARGV[5] score,
-- ARGV[6] the shot's code before, ARGV[7] its code after,
-- ARGV[8] number of events, then for each event: id, type, event, '1' if it cannot be in the log yet
-- (its id was minted for this move, or names what only this move does) or '0' if a retry may bring it
-- again (looked up, appended once)
-- Returns { 'ok', new version, entry ids… } | { 'conflict', current version } | { 'missing' }
--   | { 'unindexed' } when a rename meets a code index that is not complete yet
--   | { 'code-taken', id of the live shot with the new code }
local version = redis.call('HGET', KEYS[1], 'version')
if not version then
  return { 'missing' }
end
if version ~= ARGV[1] then
  return { 'conflict', version }
end
local renamed = ARGV[6] ~= ARGV[7]
if renamed and ARGV[2] ~= 'cancelled' then
  if redis.call('HEXISTS', KEYS[6], code_index_complete) == 0 then
    return { 'unindexed' }
  end
  local holder = code_held_by_other(KEYS[6], ARGV[7], ARGV[4])
  if holder then
    return { 'code-taken', holder }
  end
end
local new_version = tonumber(version) + 1
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'record', ARGV[3], 'version', new_version)
if KEYS[4] ~= KEYS[5] then
  redis.call('ZREM', KEYS[4], ARGV[4])
  redis.call('ZADD', KEYS[5], ARGV[5], ARGV[4])
end
if ARGV[2] == 'cancelled' then
  release_code(KEYS[6], ARGV[6], ARGV[4])
  release_code(KEYS[6], ARGV[7], ARGV[4])
elseif renamed then
  release_code(KEYS[6], ARGV[6], ARGV[4])
  redis.call('HSET', KEYS[6], ARGV[7], ARGV[4])
end
local result = { 'ok', tostring(new_version) }
-- The move's events go into the shot's event index in one write, rather than one write each.
local indexed, added = {}, {}
for i = 0, tonumber(ARGV[8]) - 1 do
  local base = 9 + i * 4
  local id = ARGV[base]
  local entry = added[id] or (ARGV[base + 3] ~= '1' and redis.call('HGET', KEYS[3], id))
  if not entry then
    entry = add_entry(KEYS[2], id, ARGV[base + 2], ARGV[4])
    added[id] = entry
    indexed[#indexed + 1] = id
    indexed[#indexed + 1] = entry
  end
  table.insert(result, entry)
end
if #indexed > 0 then
  redis.call('HSET', KEYS[3], unpack(indexed))
end
return result
