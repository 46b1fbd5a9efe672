-- Trims entries older than ARGV[1] (a stream id) and drops their ids from the index that de-duplicates
-- them (their subject's, or the log-wide one), so no index outgrows the log. The caller has already
-- worked out that every group acknowledged them.
-- KEYS[1] stream, KEYS[2] log-wide id index
-- ARGV[1] exclusive upper bound (stream id), ARGV[2] batch size, ARGV[3] the subject index key prefix
-- Returns how many entries were removed.
local entries = redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[1], 'COUNT', tonumber(ARGV[2]))
if #entries == 0 then
  return 0
end
for _, entry in ipairs(entries) do
  local fields = entry[2]
  local id, subject = nil, ''
  for i = 1, #fields, 2 do
    if fields[i] == 'id' then
      id = fields[i + 1]
    elseif fields[i] == 'subject' then
      subject = fields[i + 1]
    end
  end
  if id then
    if subject ~= '' then
      -- The subject's index shares the stream's hash tag (see keys.ts), so touching it here is safe on a cluster.
      redis.call('HDEL', ARGV[3] .. subject, id)
    else
      redis.call('HDEL', KEYS[2], id)
    end
  end
end
-- XTRIM MINID drops whole radix-tree nodes, which XDEL would leave half-empty.
local ms, seq = string.match(entries[#entries][1], '^(%d+)-(%d+)$')
redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. (tonumber(seq) + 1))
return #entries
