-- Sets a hash field to a JSON record unless the one it holds was recorded later (by time, then event
-- id), so the latest event wins however events are delivered: a line's versions and its current one.
-- KEYS[1] the hash
-- ARGV[1] field, ARGV[2] the record's time, ARGV[3] its event id, ARGV[4] the record (JSON with at, eventId)
-- Returns 1 if set, 0 if the held record is later (or the same).
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local held = cjson.decode(raw)
  if held.at > ARGV[2] or (held.at == ARGV[2] and held.eventId >= ARGV[3]) then
    return 0
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
return 1
