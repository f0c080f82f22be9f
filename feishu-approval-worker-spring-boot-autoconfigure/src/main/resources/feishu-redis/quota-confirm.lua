-- Whether a slot granted ahead is still the caller's when its time comes, and the caller's lease renewed.
-- KEYS: 1 the sorted set of slots taken, 2 the replicas' leases; ARGV: 1 the slot, 2 the replica, 3 lease (microseconds)
-- Returns 1 when the slot is still there, 0 when it was given back (the caller's lease had run out).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('HSET', KEYS[2], ARGV[2], string.format('%.0f', now + tonumber(ARGV[3])))
  return 1
end
return 0
