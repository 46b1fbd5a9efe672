-- Indexes the codes of a show's shots made before the code index existed, one page at a time, oldest
-- first: of shots that already share a code, the first submitted holds it. Each shot's state is read
-- here rather than taken from the caller, so a shot cancelled since the caller read it is left out.
-- KEYS[1] the show's code index, KEYS[2..n] the page's shot hashes
-- ARGV[1] '1' on the last page (the index is complete after it), then per shot in KEYS order: id, code
-- Returns the number of codes indexed, or -1 when the index was complete already (another writer did it)
if redis.call('HEXISTS', KEYS[1], code_index_complete) == 1 then
  return -1
end
local indexed = 0
for i = 2, #KEYS do
  local state = redis.call('HGET', KEYS[i], 'state')
  if state and state ~= 'cancelled' then
    indexed = indexed + redis.call('HSETNX', KEYS[1], ARGV[2 * i - 1], ARGV[2 * i - 2])
  end
end
if ARGV[1] == '1' then
  redis.call('HSET', KEYS[1], code_index_complete, '1')
end
return indexed
