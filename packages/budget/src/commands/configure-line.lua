-- Sets a budget line's amount and thresholds, then re-checks them against what is already spent.
-- KEYS[1] line configs, KEYS[2] the line's state, KEYS[3] stream, KEYS[4] event id index,
-- KEYS[5] the line's subject index
-- ARGV[1] line id, ARGV[2] line JSON, ARGV[3] source, ARGV[4] now, ARGV[5] '1' to emit threshold events
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local line = read_line(KEYS[2])
line.cfg = ARGV[2]
local out = { 'cfg', ARGV[2] }
check_thresholds(line, tonumber(line.efc or '0'), out, ARGV[1], KEYS[3], KEYS[4], KEYS[5], ARGV[3], ARGV[4], ARGV[5])
redis.call('HSET', KEYS[2], unpack(out))
return 1
