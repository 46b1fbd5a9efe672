-- Moves a shot to a new state (or rewrites it in place) and appends the events that say so, in one
-- step: either the shot changes and every event is in the log, or nothing happens. The caller read
-- version ARGV[1] and checked the move against the lifecycle; a concurrent write makes this refuse.
-- The shot's hash is also its event index (event id -> stream entry; see keys.ts): the shot and the
-- index entries of the move's events are written by one HSET.
-- KEYS[1] shot hash, KEYS[2] stream, KEYS[3] old show+state set, KEYS[4] new show+state set
-- ARGV[1] expected version, ARGV[2] new state, ARGV[3] record, ARGV[4] shot id, ARGV[5] score,
-- ARGV[6] '1' to clear the live progress of the task that ended, ARGV[7] number of events, then for
-- each event: id, type, event, '1' if it cannot be in the log yet (its id was minted for this move, or
-- names what only this move does) or '0' if a retry may bring it again (looked up, appended once)
-- Returns { 'ok', new version, entry ids… } | { 'conflict', current version } | { 'missing' }
local version = redis.call('HGET', KEYS[1], 'version')
if not version then
  return { 'missing' }
end
if version ~= ARGV[1] then
  return { 'conflict', version }
end
local new_version = tonumber(version) + 1
local fields = { 'state', ARGV[2], 'record', ARGV[3], 'version', new_version }
-- An empty progress reads as none: overwriting it in this HSET spares an HDEL.
if ARGV[6] == '1' then
  fields[#fields + 1] = 'progress'
  fields[#fields + 1] = ''
end
local result = { 'ok', tostring(new_version) }
local added = {}
for i = 0, tonumber(ARGV[7]) - 1 do
  local base = 8 + i * 4
  local id = ARGV[base]
  local entry = added[id] or (ARGV[base + 3] ~= '1' and redis.call('HGET', KEYS[1], id))
  if not entry then
    entry = add_entry(KEYS[2], id, ARGV[base + 2], ARGV[4])
    added[id] = entry
    fields[#fields + 1] = id
    fields[#fields + 1] = entry
  end
  table.insert(result, entry)
end
redis.call('HSET', KEYS[1], unpack(fields))
if KEYS[3] ~= KEYS[4] then
  redis.call('ZREM', KEYS[3], ARGV[4])
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[4])
end
return result
