-- Stores the new facts of several shots and moves their lines' totals by what each shot's facts change
-- in its row, as the caller folded it from the facts it read; re-checks a line's thresholds when its EFC
-- moves. One atomic step, so several consumers stay exact: a shot whose facts another consumer stored
-- since the caller read them changes nothing and is answered 'stale' (the caller reads and folds
-- again); the other shots are stored. A line that several shots move is read once and written once.
-- KEYS[1] stream, KEYS[2] event id index, KEYS[3] the ledger's clock (bumped here, so a re-total made
-- from older facts is refused; its upper part is the rates version); then per shot (ARGV[5] of them):
-- its facts, its event index, the list an older version indexed its events in, per line (of the
-- shot's line count) the line's state and the line's subject index, then the show set the shot joins
-- if its join is '1', then the show set it leaves if its leave is '1'.
-- ARGV[1] source, ARGV[2] now, ARGV[3] '1' to emit threshold events, ARGV[4] the rates version the
-- caller folded with, ARGV[5] the number of shots; then per shot: its facts with the new ones, the
-- length of the facts the caller read (before them), shot id, join, leave, the row's money currency or
-- '', the ids of the events the new facts come from (one per line, to find in the shot's index), the
-- number of lines, and per line: line id, then the deltas of shots, estimate, committed, actual, etc, efc.
-- Returns two values per shot: 'ok' and '', 'stale' and '', 'currency' and the line's currency, or
-- 'lost' and the event id (nothing of that shot stored). Every shot 'stale' if the rates changed since.
local shots = tonumber(ARGV[5])
local answers = {}
-- One INCR both counts the write and reads the rates version. A refusal after it has counted leaves the
-- count one higher, which costs a concurrent re-total a retry and nothing else.
local clock = redis.call('INCR', KEYS[3])
if math.floor(clock / 4294967296) ~= tonumber(ARGV[4]) then
  for _ = 1, shots do
    answers[#answers + 1] = 'stale'
    answers[#answers + 1] = ''
  end
  return answers
end

-- Lines as read, with the fields the shots changed, written once at the end in the order first met.
local lines, changed, order = {}, {}, {}
local function line_at(key)
  if not lines[key] then
    lines[key] = read_line(key)
    changed[key] = {}
    order[#order + 1] = key
  end
  return lines[key]
end

-- A fact counts only if its event is in the log on this server. After a failover the budget consumer
-- may hold an event it read from the old master that never reached the replica now promoted: counting
-- it would put in the ledger what the log no longer has. The event and its index entry are written in
-- one step, so the shot's index says whether the log has it. (A shot an older version indexed in a list
-- is taken on trust: its list names entries, not events.)
local function lost_event(index, legacy, ids)
  local packed
  for id in string.gmatch(ids, '[^\n]+') do
    packed = packed or redis.call('HGET', index, '') or ''
    if not packed_entry(packed, id) and not field_entry(redis.call('HGET', index, id)) then
      if redis.call('EXISTS', legacy) == 0 then
        return id
      end
    end
  end
  return nil
end

local fields = { 'shots', 'estimate', 'committed', 'actual', 'etc', 'efc' }
local k, a = 4, 6
for _ = 1, shots do
  local facts_key, index, legacy = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local facts, expected, shot_id = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2]
  local join, leave, currency, in_log, n = ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6], tonumber(ARGV[a + 7])
  local line_keys, line_args = k + 3, a + 8
  local next_key = line_keys + 2 * n
  local join_key, leave_key
  if join == '1' then
    join_key = KEYS[next_key]
    next_key = next_key + 1
  end
  if leave == '1' then
    leave_key = KEYS[next_key]
    next_key = next_key + 1
  end

  local outcome, detail = 'ok', ''
  local lost = lost_event(index, legacy, in_log)
  if lost then
    outcome, detail = 'lost', lost
  end
  if outcome == 'ok' and currency ~= '' then
    for i = 1, n do
      local line = line_at(KEYS[line_keys + 2 * (i - 1)])
      if line.cfg then
        local line_currency = cjson.decode(line.cfg).amount.currency
        if line_currency ~= currency then
          outcome, detail = 'currency', line_currency
          break
        end
      end
    end
  end
  if outcome == 'ok' then
    -- SET ... GET writes the facts and answers what they were, so it is also the check: one command
    -- where GET then SET are two. If they were not what the caller read, put them back.
    local before = redis.call('SET', facts_key, facts, 'GET')
    if (before or '') ~= string.sub(facts, 1, expected) then
      if before then
        redis.call('SET', facts_key, before)
      else
        redis.call('DEL', facts_key)
      end
      outcome = 'stale'
    end
  end
  if outcome == 'ok' then
    for i = 1, n do
      local key, at = KEYS[line_keys + 2 * (i - 1)], line_args + 7 * (i - 1)
      local line, moved = line_at(key), changed[key]
      for f = 1, 6 do
        local delta = tonumber(ARGV[at + f])
        if delta ~= 0 then
          line[fields[f]] = tonumber(line[fields[f]] or '0') + delta
          moved[fields[f]] = true
        end
      end
      if tonumber(ARGV[at + 6]) ~= 0 then
        local crossed = {}
        check_thresholds(line, line.efc, crossed, ARGV[at], KEYS[1], KEYS[2], KEYS[line_keys + 2 * (i - 1) + 1],
          ARGV[1], ARGV[2], ARGV[3])
        for c = 1, #crossed, 2 do
          moved[crossed[c]] = true
        end
      end
    end
    if join_key then
      redis.call('SADD', join_key, shot_id)
    end
    if leave_key then
      redis.call('SREM', leave_key, shot_id)
    end
  end
  answers[#answers + 1] = outcome
  answers[#answers + 1] = detail
  k = next_key
  a = line_args + 7 * n
end

for _, key in ipairs(order) do
  local hset = {}
  for field in pairs(changed[key]) do
    local value = lines[key][field]
    hset[#hset + 1] = field
    -- %d, not tostring: tostring writes 1e+14 for large integers.
    hset[#hset + 1] = type(value) == 'number' and string.format('%d', value) or value
  end
  if #hset > 0 then
    redis.call('HSET', key, unpack(hset))
  end
end
return answers
