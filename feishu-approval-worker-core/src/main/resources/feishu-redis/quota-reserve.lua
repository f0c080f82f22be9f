-- Takes the earliest free slot of one quota if it comes within the caller's longest wait.
-- KEYS: 1 the sorted set of slots taken (score: microseconds; member: slot:sequence:replica), 2 the pause until
--       (microseconds), 3 a counter that keeps slot names unique, 4 the replicas' leases (hash: replica -> until),
--       5 the marker the workers set when they start, 6 the hold after a Redis that lost its data (microseconds),
--       7 the sorted set of sends (score: microseconds; member: the slot)
-- ARGV: 1 calls per window, 2 microseconds until a slot is free again, 3 the longest wait in microseconds,
--       4 the calling replica, 5 how long its lease lasts in microseconds
-- Returns {1, delay, slot} when a slot was taken, {0, come back after} when it was not; times in microseconds. A slot
-- for now is counted as sent now.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local calls = tonumber(ARGV[1])
local reuse = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local replica = ARGV[4]
redis.call('HSET', KEYS[4], replica, string.format('%.0f', now + tonumber(ARGV[5])))

-- without the marker, this Redis restarted empty (or evicted it): the calls of the last window may be forgotten, so
-- no quota of this deployment is used for one window
if redis.call('EXISTS', KEYS[5]) == 0 then
  redis.call('SET', KEYS[5], string.format('%.0f', now))
  redis.call('SET', KEYS[6], string.format('%.0f', now + reuse), 'PX', math.ceil(reuse / 1000) + 1000)
end

-- a replica that stopped renewing its lease died: its slots still ahead are given back
local ahead = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. string.format('%.0f', now), '+inf')
local alive = {}
for _, member in ipairs(ahead) do
  local owner = string.match(member, ':([^:]+)$')
  if alive[owner] == nil then
    alive[owner] = tonumber(redis.call('HGET', KEYS[4], owner) or '0') > now
  end
  if not alive[owner] then redis.call('ZREM', KEYS[1], member) end
end

-- no slot before now, a pause Feishu asked for, a hold after Redis restarted empty, or a window after the send it
-- replaces when calls left late: the sends have the last word
local earliest = now
redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', '(' .. string.format('%.0f', now - reuse))
local sent = redis.call('ZCARD', KEYS[7])
if sent >= calls then
  local nth = redis.call('ZRANGE', KEYS[7], sent - calls, sent - calls, 'WITHSCORES')
  local free = tonumber(nth[2]) + reuse
  if free > earliest then earliest = free end
end
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > earliest then earliest = paused end
local held = tonumber(redis.call('GET', KEYS[6]) or '0')
if held > earliest then earliest = held end

-- slots more than a window old no longer count for any slot from now on; slots ahead stay until they are used
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.0f', now - reuse))
-- the earliest time from then on at which one more slot leaves every window with at most `calls` slots: a gap
-- left by slots given back (a replica that died, a call not sent) is filled before the end of the queue
local scored = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local at = {}
for i = 2, #scored, 2 do at[#at + 1] = tonumber(scored[i]) end
local n = #at
-- full[j]: how many runs of `calls` slots up to the one from j on lie within one window, where no slot may go
local full = {[0] = 0}
for j = 1, n do
  local inside = 0
  if j + calls - 1 <= n and at[j + calls - 1] - at[j] < reuse then inside = 1 end
  full[j] = full[j - 1] + inside
end
local slot = nil
for p = 0, n do
  -- between at[p] and at[p + 1]; after the last slot there is always room
  local upper = at[p + 1]
  if upper == nil or upper >= earliest then
    local t = earliest
    if p >= 1 and at[p] > t then t = at[p] end
    if p - calls + 1 >= 1 and at[p - calls + 1] + reuse > t then t = at[p - calls + 1] + reuse end
    local fits = upper == nil or t <= upper
    if fits and p + calls <= n and at[p + calls] - t < reuse then fits = false end
    local from = math.max(1, p - calls + 2)
    local to = math.min(p, n - calls + 1)
    if fits and to >= from and full[to] - full[from - 1] > 0 then fits = false end
    if fits then
      slot = t
      break
    end
  end
end
local delay = slot - now
if delay > max_wait then
  return {0, delay - math.floor(max_wait / 2)}
end
local sequence = redis.call('INCR', KEYS[3])
local member = string.format('%.0f', slot) .. ':' .. sequence .. ':' .. replica
redis.call('ZADD', KEYS[1], slot, member)
if delay == 0 then
  redis.call('ZADD', KEYS[7], now, member)
  redis.call('PEXPIRE', KEYS[7], math.ceil(reuse / 1000) + 1000)
end
local keep = math.ceil((delay + reuse) / 1000) + 1000
redis.call('PEXPIRE', KEYS[1], keep)
redis.call('PEXPIRE', KEYS[3], keep)
redis.call('PEXPIRE', KEYS[4], keep)
return {1, delay, member}
