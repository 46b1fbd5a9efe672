-- Sets a budget line's amount and thresholds, then re-checks them against what is already spent.
-- KEYS[1] line configs, KEYS[2] the line's totals, KEYS[3] the line's threshold state, KEYS[4] stream,
-- KEYS[5] event id index, KEYS[6] subject index
-- ARGV[1] line id, ARGV[2] line JSON, ARGV[3] source, ARGV[4] now, ARGV[5] '1' to emit threshold events
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return check_thresholds(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[1], ARGV[3], ARGV[4], ARGV[5])
