-- Sets lines' totals to what the caller folded from every shot's facts at the current rates (after a
-- rate is recorded or corrected, and at the end of a rebuild), and re-checks their thresholds. Refuses
-- ('stale') if a fact was stored or the rates changed since the caller read them: it reads again.
-- KEYS[1] ledger generation (bumped by record-fact.lua), KEYS[2] rates version, KEYS[3] stream,
-- KEYS[4] event id index; per line i (of ARGV[6]): KEYS[3 + 2i] the line's state, KEYS[4 + 2i] its
-- subject index
-- ARGV[1] generation read, ARGV[2] rates version read, ARGV[3] source, ARGV[4] now, ARGV[5] '1' to emit
-- threshold events, ARGV[6] number of lines; per line i: ARGV[7i] line id, ARGV[7i + 1 .. 7i + 6]
-- shots, estimate, committed, actual, etc, efc
-- Returns {'ok'} or {'stale'}.
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] or (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then
  return { 'stale' }
end
local fields = { 'shots', 'estimate', 'committed', 'actual', 'etc', 'efc' }
for i = 1, tonumber(ARGV[6]) do
  local line, at, out = read_line(KEYS[3 + 2 * i]), 7 * i, {}
  local efc_before = tonumber(line.efc or '0')
  for f = 1, 6 do
    local value = ARGV[at + f]
    if (line[fields[f]] or '0') ~= value then
      line[fields[f]] = value
      out[#out + 1] = fields[f]
      out[#out + 1] = value
    end
  end
  if tonumber(ARGV[at + 6]) ~= efc_before then
    check_thresholds(line, tonumber(ARGV[at + 6]), out, ARGV[at], KEYS[3], KEYS[4], KEYS[4 + 2 * i], ARGV[3], ARGV[4], ARGV[5])
  end
  if #out > 0 then
    redis.call('HSET', KEYS[3 + 2 * i], unpack(out))
  end
end
return { 'ok' }
