-- Creates a shot and appends its submitted event in one step, unless its idempotency key was used.
-- Shots are indexed per show only (no deployment-wide index), so a show's keys can share a partition.
-- The shot's hash is also its event index (see lib-append-event.lua and keys.ts), so the shot and its
-- first event's index entry are one HSET.
-- KEYS[1] idempotency hash, KEYS[2] shot hash, KEYS[3] shows with shots, KEYS[4] shots of the show,
-- KEYS[5] shots of the show in the state, KEYS[6] stream
-- ARGV[1] idempotency key, ARGV[2] "shot id|fingerprint", ARGV[3] shot id, ARGV[4] state, ARGV[5] record,
-- ARGV[6] score (created, ms), ARGV[7] event id, ARGV[8] event type, ARGV[9] event, ARGV[10] show
-- Returns { "shot id|fingerprint" of the shot the key names, 1 if created now else 0 }
-- HSETNX claims the key and checks it in one command; the existing value is read only when it was taken.
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return { redis.call('HGET', KEYS[1], ARGV[1]), 0 }
end
-- The submitted event's id is minted with the shot, and the key check above guards the pair: no look-up.
local entry = add_entry(KEYS[6], ARGV[7], ARGV[9], ARGV[3])
redis.call('HSET', KEYS[2], 'state', ARGV[4], 'record', ARGV[5], 'version', 1, '', pack_entry(ARGV[7], entry))
redis.call('SADD', KEYS[3], ARGV[10])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[6], ARGV[3])
return { ARGV[2], 1 }
