-- Appends an event unless one with the same id is already in the log.
-- KEYS[1] stream, KEYS[2] id index, KEYS[3] the subject's index list
-- ARGV[1] event id, ARGV[2] type, ARGV[3] event JSON, ARGV[4] subject ('' for none)
-- Returns { stream entry id, 1 if appended now or 0 if it was there already }
local entry, appended = append_event(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return { entry, appended }
