-- Sets lines' totals to what the caller folded from every shot's facts at the current rates (after a
-- rate is recorded or corrected, and at the end of a rebuild), and re-checks their thresholds. Refuses
-- ('stale') if a fact was stored or the rates changed since the caller read them (either moves the
-- ledger's clock): it reads again.
-- KEYS[1] the ledger's clock, KEYS[2] stream, KEYS[3] event id index; per line i (of ARGV[5]):
-- KEYS[2 + 2i] the line's state, KEYS[3 + 2i] its subject index
-- ARGV[1] the clock read, ARGV[2] source, ARGV[3] now, ARGV[4] '1' to emit threshold events,
-- ARGV[5] number of lines; per line i: ARGV[7i - 1] line id, ARGV[7i .. 7i + 5] shots, estimate,
-- committed, actual, etc, efc
-- Returns {'ok'} or {'stale'}.
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then
  return { 'stale' }
end
local fields = { 'shots', 'estimate', 'committed', 'actual', 'etc', 'efc' }
for i = 1, tonumber(ARGV[5]) do
  local line, at, out = read_line(KEYS[2 + 2 * i]), 7 * i - 1, {}
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
    check_thresholds(line, tonumber(ARGV[at + 6]), out, ARGV[at], KEYS[2], KEYS[3], KEYS[3 + 2 * i], ARGV[2], ARGV[3], ARGV[4])
  end
  if #out > 0 then
    redis.call('HSET', KEYS[2 + 2 * i], unpack(out))
  end
end
return { 'ok' }
