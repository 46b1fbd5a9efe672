-- Writes a shot's ledger row, folded from all its facts, and moves the line's totals by the difference
-- from the row it replaces, then re-checks the line's thresholds: one atomic step. The caller folded
-- ARGV[2] facts; if another consumer has added one since, this refuses ('stale') and the caller folds again.
-- KEYS[1] the shot's facts, KEYS[2] rows, KEYS[3] the line's totals, KEYS[4] line configs,
-- KEYS[5] the line's threshold state, KEYS[6] stream, KEYS[7] event id index, KEYS[8] subject index,
-- KEYS[9] the show's shot set
-- ARGV[1] shot id, ARGV[2] facts folded, ARGV[3] row JSON, ARGV[4..8] efc, estimate, committed, actual, etc,
-- ARGV[9] line id, ARGV[10] source, ARGV[11] now, ARGV[12] '1' to emit threshold events
if redis.call('HLEN', KEYS[1]) ~= tonumber(ARGV[2]) then
  return 'stale'
end
local fields = { 'efc', 'estimate', 'committed', 'actual', 'etc' }
local old = redis.call('HGET', KEYS[2], ARGV[1])
local before = { 0, 0, 0, 0, 0 }
if old then
  local o = cjson.decode(old)
  before = { o.efc, o.estimate, o.committed, o.actual, o.etc }
else
  redis.call('HINCRBY', KEYS[3], 'shots', 1)
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[9], ARGV[1])
for i, f in ipairs(fields) do
  local delta = tonumber(ARGV[3 + i]) - before[i]
  if delta ~= 0 then
    redis.call('HINCRBY', KEYS[3], f, delta)
  end
end
check_thresholds(KEYS[4], KEYS[3], KEYS[5], KEYS[6], KEYS[7], KEYS[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12])
return 'ok'
