-- Moves a shot to a new state (or rewrites it in place) and appends the events that say so, in one
-- step: either the shot changes and every event is in the log, or nothing happens. The caller read
-- version ARGV[1] and checked the move against the lifecycle; a concurrent write makes this refuse.
-- The shot's hash is also its event index (see lib-append-event.lua and keys.ts): one HMGET reads the
-- version and the index, one HSET writes the shot and the index entries of the move's events.
-- The show's code index follows (lib-shot-codes.lua): a cancelled shot frees its code, and a revision
-- that renames the shot takes the new code unless another live shot has it.
-- KEYS[1] shot hash, KEYS[2] stream, KEYS[3] old show+state set, KEYS[4] new show+state set,
-- KEYS[5] the show's code index
-- ARGV[1] expected version, ARGV[2] new state, ARGV[3] record, ARGV[4] shot id, ARGV[5] score,
-- ARGV[6] '1' to clear the live progress of the task that ended, ARGV[7] the shot's code before,
-- ARGV[8] its code after, ARGV[9] number of events, then for each event: id, type, event, '1' if it
-- cannot be in the log yet (its id was minted for this move, or names what only this move does) or
-- '0' if a retry may bring it again (looked up, appended once)
-- Returns { 'ok', new version, entry ids… } | { 'conflict', current version } | { 'missing' }
--   | { 'unindexed' } when a rename meets a code index that is not complete yet
--   | { 'code-taken', id of the live shot with the new code }
-- The version, the packed index, and the fields an older version kept for events a retry may bring.
local wanted = { 'version', '' }
for i = 0, tonumber(ARGV[9]) - 1 do
  if ARGV[10 + i * 4 + 3] ~= '1' then
    wanted[#wanted + 1] = ARGV[10 + i * 4]
  end
end
local found = redis.call('HMGET', KEYS[1], unpack(wanted))
local version, packed = found[1], found[2] or ''
if not version then
  return { 'missing' }
end
if version ~= ARGV[1] then
  return { 'conflict', version }
end
local renamed = ARGV[7] ~= ARGV[8]
if renamed and ARGV[2] ~= 'cancelled' then
  if redis.call('HEXISTS', KEYS[5], code_index_complete) == 0 then
    return { 'unindexed' }
  end
  local holder = code_held_by_other(KEYS[5], ARGV[8], ARGV[4])
  if holder then
    return { 'code-taken', holder }
  end
end
local old_fields = {}
for i = 3, #wanted do
  old_fields[wanted[i]] = field_entry(found[i])
end
local new_version = tonumber(version) + 1
local fields = { 'state', ARGV[2], 'record', ARGV[3], 'version', new_version }
-- An empty progress reads as none: overwriting it in this HSET spares an HDEL.
if ARGV[6] == '1' then
  fields[#fields + 1] = 'progress'
  fields[#fields + 1] = ''
end
local result = { 'ok', tostring(new_version) }
for i = 0, tonumber(ARGV[9]) - 1 do
  local base = 10 + i * 4
  local id = ARGV[base]
  local entry = ARGV[base + 3] ~= '1' and (old_fields[id] or packed_entry(packed, id))
  if not entry then
    entry = add_entry(KEYS[2], id, ARGV[base + 2], ARGV[4])
    packed = packed .. pack_entry(id, entry)
  end
  table.insert(result, entry)
end
fields[#fields + 1] = ''
fields[#fields + 1] = packed
redis.call('HSET', KEYS[1], unpack(fields))
if KEYS[3] ~= KEYS[4] then
  redis.call('ZREM', KEYS[3], ARGV[4])
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[4])
end
if ARGV[2] == 'cancelled' then
  release_code(KEYS[5], ARGV[7], ARGV[4])
  release_code(KEYS[5], ARGV[8], ARGV[4])
elseif renamed then
  release_code(KEYS[5], ARGV[7], ARGV[4])
  redis.call('HSET', KEYS[5], ARGV[8], ARGV[4])
end
return result
