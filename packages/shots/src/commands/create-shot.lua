-- Creates a shot and appends its submitted event in one step, unless its idempotency key was used or
-- another live shot has its code (lib-shot-codes.lua).
-- Shots are indexed per show only (no deployment-wide index), so a show's keys can share a partition.
-- The shot's hash is also its event index (see lib-append-event.lua and keys.ts), so the shot and its
-- first event's index entry are one HSET.
-- KEYS[1] idempotency hash, KEYS[2] shot hash, KEYS[3] shows with shots, KEYS[4] shots of the show,
-- KEYS[5] shots of the show in the state, KEYS[6] stream, KEYS[7] the show's code index
-- ARGV[1] idempotency key, ARGV[2] "shot id|fingerprint", ARGV[3] shot id, ARGV[4] state, ARGV[5] record,
-- ARGV[6] score (created, ms), ARGV[7] event id, ARGV[8] event type, ARGV[9] event, ARGV[10] show,
-- ARGV[11] shot code
-- Returns { "shot id|fingerprint" of the shot the key names, 0 } | { that of the new shot, 1 }
--   | { '', 2 } when the show's code index is not complete yet | { id of the live shot with the code, 3 }
-- HSETNX claims the key and checks it in one command; the existing value is read only when it was taken.
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return { redis.call('HGET', KEYS[1], ARGV[1]), 0 }
end
-- A refused shot gives its key back: the same request may be sent again once the code is free.
-- One HMGET reads whether the show's code index is complete and who holds the code.
local index = redis.call('HMGET', KEYS[7], code_index_complete, ARGV[11])
local codes = { ARGV[11], ARGV[3] }
if not index[1] then
  -- A show with no shots yet has nothing to index; one with shots from before the index must be indexed.
  if redis.call('EXISTS', KEYS[4]) == 1 then
    redis.call('HDEL', KEYS[1], ARGV[1])
    return { '', 2 }
  end
  codes = { code_index_complete, '1', ARGV[11], ARGV[3] }
  -- The show's first shot: the show joins the set of shows (a show with an index is in it already).
  redis.call('SADD', KEYS[3], ARGV[10])
end
if index[2] and index[2] ~= ARGV[3] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return { index[2], 3 }
end
-- The submitted event's id is minted with the shot, and the key check above guards the pair: no look-up.
local entry = add_entry(KEYS[6], ARGV[7], ARGV[9], ARGV[3])
redis.call('HSET', KEYS[2], 'state', ARGV[4], 'record', ARGV[5], 'version', 1, '', pack_entry(ARGV[7], entry))
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[3])
redis.call('ZADD', KEYS[5], ARGV[6], ARGV[3])
redis.call('HSET', KEYS[7], unpack(codes))
return { ARGV[2], 1 }
