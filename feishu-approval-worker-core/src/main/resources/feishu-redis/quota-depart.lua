-- The call of a slot whose time has come is about to leave: counted as sent now, unless the sends of the last window
-- are the quota already (the calls before it left late), or the slot is no longer the caller's (its lease ran out).
-- A slot counted before (its call was held up before it could leave) has its send moved to now. The slot itself moves
-- to now as well, so that the slots planned after it count from when its call left.
-- KEYS: 1 the sorted set of slots taken, 2 the replicas' leases, 3 the sorted set of sends (score: microseconds;
--       member: the slot), 4 the pause until (microseconds)
-- ARGV: 1 the slot, 2 the replica, 3 lease (microseconds), 4 calls per window, 5 microseconds until a slot is free again
-- Returns {1, 0} to go, {2, wait} to ask again after wait microseconds, {0, 0} when the slot was taken back.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {0, 0} end
redis.call('HSET', KEYS[2], ARGV[2], string.format('%.0f', now + tonumber(ARGV[3])))
local calls = tonumber(ARGV[4])
local reuse = tonumber(ARGV[5])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. string.format('%.0f', now - reuse))
local sent = redis.call('ZCARD', KEYS[3])
local free = now
if sent >= calls then
  local nth = redis.call('ZRANGE', KEYS[3], sent - calls, sent - calls, 'WITHSCORES')
  free = tonumber(nth[2]) + reuse
end
local paused = tonumber(redis.call('GET', KEYS[4]) or '0')
if paused > free then free = paused end
if free > now then return {2, free - now} end
redis.call('ZADD', KEYS[3], now, ARGV[1])
-- the plan follows the sends: the slots taken from now on count from when this call really left
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
redis.call('PEXPIRE', KEYS[3], math.ceil(reuse / 1000) + 1000)
return {1, 0}
