-- Gives back a slot its caller took and did not use: the call it was for was never sent, so it counts for nothing.
-- KEYS: 1 the sorted set of slots taken; ARGV: 1 the slot. Returns 1 when it was removed, 0 when it was gone already.
return redis.call('ZREM', KEYS[1], ARGV[1])
