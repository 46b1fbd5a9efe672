-- Shared by every script that appends events: idempotent on event id, and indexed under its subject
-- (the shot id), so one shot's history is read without scanning the whole log.
-- The index that de-duplicates is the subject's own hash; one key per shot does both jobs, where a
-- log-wide id hash plus a list per shot took two writes and twice the memory. A shot's hash is also
-- the shot (its state, record and version; see shots' keys.ts), so its entries are packed into one
-- field, the empty one (no event id is empty, and no shot field is): a field per event would cost a
-- hash entry each in a hash too large for Redis's compact encoding. Per entry: the event id's length,
-- a space, the id, a space, the stream entry id, a newline. (Older versions kept a field per event:
-- those are still read.) Events with no subject are de-duplicated in the log-wide `ids` hash.
-- The stream entry keeps the id and the subject beside the event (trimming needs them, and the event
-- may be compact and leave them out); its type is inside it.
local function add_entry(stream, id, json, subject)
  return redis.call('XADD', stream, '*', 'id', id, 'subject', subject, 'event', json)
end

-- One packed index entry.
local function pack_entry(id, entry)
  return #id .. ' ' .. id .. ' ' .. entry .. '\n'
end

-- Calls visit(id, entry, first, last) for each packed entry, where first..last is the entry's span in
-- `packed`, until visit answers true; answers what visit answered last.
local function each_packed(packed, visit)
  local pos = 1
  while packed and pos <= #packed do
    local space = string.find(packed, ' ', pos, true)
    local length = tonumber(string.sub(packed, pos, space - 1))
    local id = string.sub(packed, space + 1, space + length)
    local newline = string.find(packed, '\n', space + length + 2, true)
    if visit(id, string.sub(packed, space + length + 2, newline - 1), pos, newline) then
      return true
    end
    pos = newline + 1
  end
  return false
end

-- The stream entry of event `id` in a subject index's packed field, or nil.
local function packed_entry(packed, id)
  local found
  each_packed(packed, function(entry_id, entry)
    if entry_id == id then
      found = entry
      return true
    end
  end)
  return found
end

-- `packed` without the entry of event `id`.
local function unpack_entry(packed, id)
  local out = packed
  each_packed(packed, function(entry_id, _, first, last)
    if entry_id == id then
      out = string.sub(packed, 1, first - 1) .. string.sub(packed, last + 1)
      return true
    end
  end)
  return out
end

-- A field an older version kept per event: a stream entry id (a shot's own fields are none).
local function field_entry(value)
  if value and string.match(value, '^%d+%-%d+$') then
    return value
  end
  return nil
end

-- An event whose id was minted for the very write that appends it (`fresh`) cannot be in the log yet:
-- it skips the look-up, one command of three, where the index is the log-wide one.
local function append_event(stream, ids, subject_index, id, type, json, subject, fresh)
  if subject == '' then
    if not fresh then
      local existing = redis.call('HGET', ids, id)
      if existing then
        return existing, 0
      end
    end
    local entry = add_entry(stream, id, json, subject)
    redis.call('HSET', ids, id, entry)
    return entry, 1
  end
  local found = redis.call('HMGET', subject_index, id, '')
  local existing = field_entry(found[1]) or packed_entry(found[2], id)
  if existing then
    return existing, 0
  end
  local entry = add_entry(stream, id, json, subject)
  redis.call('HSET', subject_index, '', (found[2] or '') .. pack_entry(id, entry))
  return entry, 1
end
