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
-- The trimmed events' ids by subject ('' for none), to drop from each index in one go.
local by_subject, subjects = {}, {}
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
    if not by_subject[subject] then
      by_subject[subject] = {}
      subjects[#subjects + 1] = subject
    end
    table.insert(by_subject[subject], id)
  end
end
for _, subject in ipairs(subjects) do
  local ids = by_subject[subject]
  if subject == '' then
    redis.call('HDEL', KEYS[2], unpack(ids))
  else
    -- The subject's index shares the stream's hash tag (see keys.ts), so touching it here is safe on a
    -- cluster. Its entries are packed in one field, or (written by an older version) a field each.
    local index = ARGV[3] .. subject
    -- A field per event only where it holds a stream entry: a shot's own fields are not its events'.
    local values, stale = redis.call('HMGET', index, unpack(ids)), {}
    for i, id in ipairs(ids) do
      if field_entry(values[i]) then
        stale[#stale + 1] = id
      end
    end
    if #stale > 0 then
      redis.call('HDEL', index, unpack(stale))
    end
    local packed = redis.call('HGET', index, '')
    if packed then
      local left = packed
      for _, id in ipairs(ids) do
        left = unpack_entry(left, id)
      end
      if left == '' then
        redis.call('HDEL', index, '')
      elseif left ~= packed then
        redis.call('HSET', index, '', left)
      end
    end
  end
end
-- XTRIM MINID drops whole radix-tree nodes, which XDEL would leave half-empty.
local ms, seq = string.match(entries[#entries][1], '^(%d+)-(%d+)$')
redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. (tonumber(seq) + 1))
return #entries
