-- Takes the earliest free slot of one quota if it comes within the caller's longest wait.
-- KEYS: 1 the sorted set of the last slots taken (score: microseconds), 2 the pause until (microseconds),
--       3 a counter that keeps slot names unique
-- ARGV: 1 calls per window, 2 microseconds until a slot is free again, 3 the longest wait in microseconds
-- Returns {1, delay} when a slot was taken, {0, come back after} when it was not; both in microseconds.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local calls = tonumber(ARGV[1])
local reuse = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local slot = now
local taken = redis.call('ZCARD', KEYS[1])
if taken >= calls then
  local nth = redis.call('ZRANGE', KEYS[1], taken - calls, taken - calls, 'WITHSCORES')
  local free = tonumber(nth[2]) + reuse
  if free > slot then slot = free end
end
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > slot then slot = paused end
local delay = slot - now
if delay > max_wait then
  return {0, delay - math.floor(max_wait / 2)}
end
local n = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], slot, string.format('%.0f', slot) .. ':' .. n)
if taken + 1 > calls then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, taken - calls)
end
local keep = math.ceil((delay + reuse) / 1000) + 1000
redis.call('PEXPIRE', KEYS[1], keep)
redis.call('PEXPIRE', KEYS[3], keep)
return {1, delay}
