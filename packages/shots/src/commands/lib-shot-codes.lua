-- One live shot per shot code (`show/episode/sequence/shot`). A show's code index is a hash in the
-- show's partition: code → id of the live shot that has it, kept in the same script as the shot, so
-- two racing submissions of a code cannot both win. A cancelled shot frees its code. The field
-- '#complete' (codeIndexComplete in keys.ts; '#' is never in a code) says the index also covers the
-- shots made before it existed: until then a write that claims a code is refused, and the store
-- indexes the show's shots first (index-shot-codes.lua).
local code_index_complete = '#complete'

-- The shot other than `shot_id` that holds `code`, or false.
local function code_held_by_other(codes, code, shot_id)
  local holder = redis.call('HGET', codes, code)
  if holder and holder ~= shot_id then
    return holder
  end
  return false
end

-- Frees `code` if `shot_id` holds it (the shot was cancelled, or renamed away from it).
local function release_code(codes, code, shot_id)
  if redis.call('HGET', codes, code) == shot_id then
    redis.call('HDEL', codes, code)
  end
end
