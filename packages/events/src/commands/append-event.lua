-- Appends an event unless one with the same id is already in the log.
-- KEYS[1] stream, KEYS[2] id index
-- ARGV[1] event id, ARGV[2] type, ARGV[3] event JSON
-- Returns { stream entry id, 1 if appended now or 0 if it was there already }
local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then
  return { existing, 0 }
end
local entry = redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'type', ARGV[2], 'event', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], entry)
return { entry, 1 }
