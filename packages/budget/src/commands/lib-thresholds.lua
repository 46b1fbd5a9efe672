-- Shared by the scripts that move a line's EFC or change its thresholds. A line's state is one hash:
-- `cfg` (the line as configured, JSON), the totals (shots, estimate, committed, actual, etc, efc) and,
-- per threshold t, `x:t`, how many times EFC has crossed it: odd while above, even while below. One
-- HGETALL reads all of it, one HSET writes what changed.

-- A line's state hash as a Lua table.
local function read_line(key)
  local raw = redis.call('HGETALL', key)
  local line = {}
  for i = 1, #raw, 2 do
    line[raw[i]] = raw[i + 1]
  end
  return line
end

-- Re-checks a line's thresholds against its EFC and appends one budget.threshold.crossed event per
-- crossing: up when EFC reaches a threshold, down when it falls back under it. The count per threshold
-- makes each crossing happen once, however many consumers run, and numbers the crossing's event id.
-- With emit ~= '1' (a rebuild replaying the log) the counts are brought up to date without alerting
-- again. Adds the counts that changed to `out` (field, value, ...) for the caller's HSET. The subject
-- index is the line's own (the events' subject is the line id), so a line's crossings are read without
-- scanning the log.
local function check_thresholds(line, efc, out, line_id, stream, ids, subject_index, source, now, emit)
  if not line.cfg then
    return
  end
  local cfg = cjson.decode(line.cfg)
  local budget = tonumber(cfg.amount.amountMinor)
  if budget <= 0 then
    return
  end
  for _, t in ipairs(cfg.thresholdsPercent) do
    local field = 'x:' .. tostring(t)
    local crossings = tonumber(line[field] or '0')
    local above = efc * 100 >= t * budget
    if above ~= (crossings % 2 == 1) then
      crossings = crossings + 1
      line[field] = tostring(crossings)
      out[#out + 1] = field
      out[#out + 1] = line[field]
      local direction = above and 'up' or 'down'
      -- Crossings are numbered by the ups so far (this one included), as before: the same ids as ever.
      local n = math.floor((crossings + 1) / 2)
      if emit == '1' then
        local id = 'budget-' .. line_id .. '-' .. tostring(t) .. '-' .. direction .. '-' .. n
        local event = cjson.encode({
          specversion = '1.0',
          id = id,
          source = source,
          type = 'io.shotcaller.budget.threshold.crossed.v1',
          time = now,
          subject = line_id,
          datacontenttype = 'application/json',
          correlationid = line_id,
          show = cfg.show,
          data = {
            lineId = line_id,
            show = cfg.show,
            thresholdPercent = t,
            direction = direction,
            measure = 'estimated-final',
            value = { amountMinor = efc, currency = cfg.amount.currency },
            budget = { amountMinor = budget, currency = cfg.amount.currency },
          },
        })
        append_event(stream, ids, subject_index, id, 'io.shotcaller.budget.threshold.crossed.v1', event, line_id)
      end
    end
  end
end
