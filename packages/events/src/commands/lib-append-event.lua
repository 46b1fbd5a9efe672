-- Shared by every script that appends events: idempotent on event id, and indexes the event under its
-- subject (the shot id) so one shot's history is read without scanning the whole log.
local function append_event(stream, ids, subject_index, id, type, json, subject)
  local existing = redis.call('HGET', ids, id)
  if existing then
    return existing, 0
  end
  local entry = redis.call('XADD', stream, '*', 'id', id, 'type', type, 'event', json)
  redis.call('HSET', ids, id, entry)
  if subject ~= '' then
    redis.call('RPUSH', subject_index, entry)
  end
  return entry, 1
end
