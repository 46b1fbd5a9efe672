-- Stores one fact of a shot and moves its lines' totals by what the fact changes in the shot's row,
-- as the caller folded it from the facts it read; re-checks a line's thresholds when its EFC moves.
-- One atomic step, so several consumers stay exact: if another has stored a fact since the caller
-- read them, this changes nothing and answers 'stale' (the caller reads and folds again).
-- KEYS[1] the shot's facts, KEYS[2] stream, KEYS[3] event id index; per line i (of ARGV[10]):
-- KEYS[2 + 2i] the line's state, KEYS[3 + 2i] the line's subject index; then the show set the shot
-- joins if ARGV[4] = '1', then the show set it leaves if ARGV[5] = '1'; then the shot's event index and
-- the list an older version indexed its events in; last, the ledger's clock
-- (bumped here, so a re-total made from older facts is refused; its upper part is the rates version)
-- ARGV[1] the shot's facts with the new one, ARGV[2] the length of the facts the caller read (before it),
-- ARGV[3] shot id, ARGV[4] join, ARGV[5] leave, ARGV[6] the row's money currency or '', ARGV[7] source,
-- ARGV[8] now, ARGV[9] '1' to emit threshold events, ARGV[10] number of lines; per line i:
-- ARGV[4 + 7i] line id, ARGV[5 + 7i .. 10 + 7i] the deltas of shots, estimate, committed, actual, etc, efc;
-- then the ids of the events the new facts come from, one per line, to find in the shot's index;
-- last, the rates version the caller folded with ('stale' if the rates changed since)
-- Returns {'ok'}, {'stale'}, {'currency', the line's currency} or {'lost', event id} (nothing stored).
local expected, currency = tonumber(ARGV[2]), ARGV[6]
local n = tonumber(ARGV[10])

-- A fact counts only if its event is in the log on this server. After a failover the budget consumer
-- may hold an event it read from the old master that never reached the replica now promoted: counting
-- it would put in the ledger what the log no longer has. The event and its index entry are written in
-- one step, so the shot's index says whether the log has it.
local index, legacy = KEYS[#KEYS - 2], KEYS[#KEYS - 1]
local packed
for id in string.gmatch(ARGV[#ARGV - 1], '[^\n]+') do
  packed = packed or redis.call('HGET', index, '') or ''
  if not packed_entry(packed, id) and not field_entry(redis.call('HGET', index, id)) then
    -- A shot an older version indexed in a list: its list names entries, not events; trusted.
    if redis.call('EXISTS', legacy) == 0 then
      return { 'lost', id }
    end
  end
end
-- One INCR both counts the fact and reads the rates version. A refusal after it has counted leaves the
-- count one higher, which costs a concurrent re-total a retry and nothing else.
local clock = redis.call('INCR', KEYS[#KEYS])
if math.floor(clock / 4294967296) ~= tonumber(ARGV[#ARGV]) then
  return { 'stale' }
end

local lines = {}
for i = 1, n do
  lines[i] = read_line(KEYS[2 + 2 * i])
  if lines[i].cfg and currency ~= '' then
    local line_currency = cjson.decode(lines[i].cfg).amount.currency
    if line_currency ~= currency then
      return { 'currency', line_currency }
    end
  end
end

-- SET ... GET writes the facts and answers what they were, so it is also the check: one command where
-- GET then SET are two. If they were not what the caller read, put them back before returning.
local before = redis.call('SET', KEYS[1], ARGV[1], 'GET')
if (before or '') ~= string.sub(ARGV[1], 1, expected) then
  if before then
    redis.call('SET', KEYS[1], before)
  else
    redis.call('DEL', KEYS[1])
  end
  return { 'stale' }
end

local fields = { 'shots', 'estimate', 'committed', 'actual', 'etc', 'efc' }
for i = 1, n do
  local line, at, out = lines[i], 4 + 7 * i, {}
  for f = 1, 6 do
    local delta = tonumber(ARGV[at + f])
    if delta ~= 0 then
      local value = tonumber(line[fields[f]] or '0') + delta
      line[fields[f]] = value
      out[#out + 1] = fields[f]
      -- %d, not tostring: tostring writes 1e+14 for large integers.
      out[#out + 1] = string.format('%d', value)
    end
  end
  if tonumber(ARGV[at + 6]) ~= 0 then
    check_thresholds(line, line.efc, out, ARGV[at], KEYS[2], KEYS[3], KEYS[3 + 2 * i], ARGV[7], ARGV[8], ARGV[9])
  end
  if #out > 0 then
    redis.call('HSET', KEYS[2 + 2 * i], unpack(out))
  end
end

local next_key = 4 + 2 * n
if ARGV[4] == '1' then
  redis.call('SADD', KEYS[next_key], ARGV[3])
  next_key = next_key + 1
end
if ARGV[5] == '1' then
  redis.call('SREM', KEYS[next_key], ARGV[3])
end
return { 'ok' }
