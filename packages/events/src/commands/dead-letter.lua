-- Moves one event a group gave up on to the dead-letter stream and acknowledges it, in one step, so a
-- crash between the two can neither lose the event nor dead-letter it twice.
-- KEYS[1] stream, KEYS[2] dead-letter stream, KEYS[3] the group's failure hash
-- ARGV[1] group, ARGV[2] stream entry id, ARGV[3] event id, ARGV[4] type, ARGV[5] event JSON,
-- ARGV[6] error, ARGV[7] deliveries
local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
if acked == 0 then
  return 0
end
redis.call('XADD', KEYS[2], '*', 'group', ARGV[1], 'entry', ARGV[2], 'id', ARGV[3], 'type', ARGV[4],
  'event', ARGV[5], 'error', ARGV[6], 'deliveries', ARGV[7])
redis.call('HDEL', KEYS[3], ARGV[2])
return 1
