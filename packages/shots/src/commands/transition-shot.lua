-- Moves a shot to a new state (or rewrites it in place) and appends the events that say so, in one
-- step: either the shot changes and every event is in the log, or nothing happens. The caller read
-- version ARGV[1] and checked the move against the lifecycle; a concurrent write makes this refuse.
-- KEYS[1] shot hash, KEYS[2] stream, KEYS[3] event id index, KEYS[4] the shot's event index,
-- KEYS[5] old show+state set, KEYS[6] new show+state set
-- ARGV[1] expected version, ARGV[2] new state, ARGV[3] record, ARGV[4] shot id, ARGV[5] score,
-- ARGV[6] number of events, then for each event: id, type, event, '1' if it cannot be in the log yet
-- (its id was minted for this move, or names what only this move does) or '0' if a retry may bring it
-- again (looked up, appended once)
-- Returns { 'ok', new version, entry ids… } | { 'conflict', current version } | { 'missing' }
local version = redis.call('HGET', KEYS[1], 'version')
if not version then
  return { 'missing' }
end
if version ~= ARGV[1] then
  return { 'conflict', version }
end
local new_version = tonumber(version) + 1
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'record', ARGV[3], 'version', new_version)
if KEYS[5] ~= KEYS[6] then
  redis.call('ZREM', KEYS[5], ARGV[4])
  redis.call('ZADD', KEYS[6], ARGV[5], ARGV[4])
end
local result = { 'ok', tostring(new_version) }
for i = 0, tonumber(ARGV[6]) - 1 do
  local base = 7 + i * 4
  local entry = append_event(KEYS[2], KEYS[3], KEYS[4], ARGV[base], ARGV[base + 1], ARGV[base + 2], ARGV[4], ARGV[base + 3] == '1')
  table.insert(result, entry)
end
return result
