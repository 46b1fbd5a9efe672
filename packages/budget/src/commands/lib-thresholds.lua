-- subject_index is the line's own (the events' subject is the line id), so a line's crossings are read
-- without scanning the log.
-- Re-checks a budget line's thresholds against its estimated final cost and appends one
-- budget.threshold.crossed event per crossing: up when EFC reaches a threshold, down when it falls back
-- under it. The state per threshold makes each crossing happen once, however many consumers run.
-- With emit ~= '1' (a rebuild replaying the log) the state is brought up to date without alerting again.
local function check_thresholds(lines_key, agg_key, state_key, stream, ids, subject_index, line_id, source, now, emit)
  local cfg = redis.call('HGET', lines_key, line_id)
  if not cfg then
    return 0
  end
  local line = cjson.decode(cfg)
  local budget = tonumber(line.amount.amountMinor)
  if budget <= 0 then
    return 0
  end
  local efc = tonumber(redis.call('HGET', agg_key, 'efc') or '0')
  local crossed = 0
  for _, t in ipairs(line.thresholdsPercent) do
    local field = tostring(t)
    local above = efc * 100 >= t * budget
    local state = redis.call('HGET', state_key, field)
    local direction = nil
    local n = 0
    if above and state ~= 'above' then
      redis.call('HSET', state_key, field, 'above')
      n = redis.call('HINCRBY', state_key, 'n:' .. field, 1)
      direction = 'up'
    elseif (not above) and state == 'above' then
      redis.call('HSET', state_key, field, 'below')
      n = tonumber(redis.call('HGET', state_key, 'n:' .. field) or '0')
      direction = 'down'
    end
    if direction and emit == '1' then
      local id = 'budget-' .. line_id .. '-' .. field .. '-' .. direction .. '-' .. n
      local event = cjson.encode({
        specversion = '1.0',
        id = id,
        source = source,
        type = 'io.shotcaller.budget.threshold.crossed.v1',
        time = now,
        subject = line_id,
        datacontenttype = 'application/json',
        correlationid = line_id,
        show = line.show,
        data = {
          lineId = line_id,
          show = line.show,
          thresholdPercent = t,
          direction = direction,
          measure = 'estimated-final',
          value = { amountMinor = efc, currency = line.amount.currency },
          budget = { amountMinor = budget, currency = line.amount.currency },
        },
      })
      append_event(stream, ids, subject_index, id, 'io.shotcaller.budget.threshold.crossed.v1', event, line_id)
      crossed = crossed + 1
    end
  end
  return crossed
end
