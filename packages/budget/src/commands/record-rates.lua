-- Records exchange rates of one event. A rate is kept per pair and day; a rate of a later event
-- (by event time, then id) replaces an earlier one, so however the events are delivered the latest
-- correction wins. Moves the clock's rates version when anything changed, so folds made with the old rates
-- are refused (record-facts.lua) and the line totals are made again.
-- KEYS[1] rates hash (FROM:TO:DATE -> JSON {rate, at, id}), KEYS[2] the ledger's clock (see keys.ts)
-- ARGV[1] event time, ARGV[2] event id, ARGV[3] the clock's rates-version step, then per rate: field, rate
-- Returns the rates that changed: field, the rate before ('' if none), the rate after, ...
local changed = {}
for i = 4, #ARGV, 2 do
  local field, rate = ARGV[i], ARGV[i + 1]
  local raw = redis.call('HGET', KEYS[1], field)
  local old = raw and cjson.decode(raw)
  local newer = not old or old.at < ARGV[1] or (old.at == ARGV[1] and old.id < ARGV[2])
  if newer and (not old or old.rate ~= rate or old.id ~= ARGV[2]) then
    redis.call('HSET', KEYS[1], field, cjson.encode({ rate = rate, at = ARGV[1], id = ARGV[2] }))
    if not old or old.rate ~= rate then
      changed[#changed + 1] = field
      changed[#changed + 1] = old and old.rate or ''
      changed[#changed + 1] = rate
    end
  end
end
if #changed > 0 then
  redis.call('INCRBY', KEYS[2], ARGV[3])
end
return changed
