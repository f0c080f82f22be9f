-- Renews a replica's lease on one quota while it holds slots ahead in it.
-- KEYS: 1 the replicas' leases; ARGV: 1 the replica, 2 lease (microseconds). Returns 1.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.0f', now + tonumber(ARGV[2])))
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) / 1000) + 60000)
return 1
