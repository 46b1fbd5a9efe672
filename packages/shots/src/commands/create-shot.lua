-- Creates a shot and appends its submitted event in one step, unless its idempotency key was used.
-- KEYS[1] idempotency hash, KEYS[2] shot hash, KEYS[3] all shots, KEYS[4] shots of the show,
-- KEYS[5] shots in the state, KEYS[6] shots of the show in the state, KEYS[7] stream, KEYS[8] event id index,
-- KEYS[9] the shot's event index
-- ARGV[1] idempotency key, ARGV[2] "shot id|fingerprint", ARGV[3] shot id, ARGV[4] state, ARGV[5] record JSON,
-- ARGV[6] score (created, ms), ARGV[7] event id, ARGV[8] event type, ARGV[9] event JSON
-- Returns { "shot id|fingerprint" of the shot the key names, 1 if created now else 0 }
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  return { existing, 0 }
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], 'state', ARGV[4], 'record', ARGV[5], 'version', 1)
for i = 3, 6 do
  redis.call('ZADD', KEYS[i], ARGV[6], ARGV[3])
end
append_event(KEYS[7], KEYS[8], KEYS[9], ARGV[7], ARGV[8], ARGV[9], ARGV[3])
return { ARGV[2], 1 }
