-- Shared by every script that appends events: idempotent on event id, and indexed under its subject
-- (the shot id), so one shot's history is read without scanning the whole log.
-- The index that de-duplicates is the subject's own hash (event id → stream entry id): one key per shot
-- does both jobs, where a log-wide id hash plus a list per shot took two writes and twice the memory.
-- Events with no subject are de-duplicated in the log-wide `ids` hash. The entry keeps the id and the
-- subject beside the event (trimming needs them, and the event may be compact); its type is inside it.
-- The stream entry of an event: its id and subject beside it (trimming needs them; the event may be
-- compact and leave them out).
local function add_entry(stream, id, json, subject)
  return redis.call('XADD', stream, '*', 'id', id, 'subject', subject, 'event', json)
end

-- An event whose id was minted for the very write that appends it (`fresh`) cannot be in the log yet:
-- it skips the look-up, one command of three.
local function append_event(stream, ids, subject_index, id, type, json, subject, fresh)
  local index = ids
  if subject ~= '' then
    index = subject_index
  end
  if not fresh then
    local existing = redis.call('HGET', index, id)
    if existing then
      return existing, 0
    end
  end
  local entry = add_entry(stream, id, json, subject)
  redis.call('HSET', index, id, entry)
  return entry, 1
end
