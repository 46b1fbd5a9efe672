-- Moves a shot an older version kept in a hash of its own into its event index's hash (see keys.ts),
-- in one step, so a shot is never half moved; does nothing once it is moved.
-- KEYS[1] the shot's old hash, KEYS[2] the shot's event index
-- Returns 1 if the shot was moved, 0 if there was nothing to move.
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then
  return 0
end
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('DEL', KEYS[1])
return 1
