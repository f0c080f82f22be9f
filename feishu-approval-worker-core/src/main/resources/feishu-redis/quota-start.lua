-- A worker starts: marks this Redis as used by the deployment. A Redis without the marker may have restarted empty,
-- forgetting the calls sent in the window before its start (whatever restarted with it), so until a window after its
-- start no quota of the deployment is used.
-- KEYS: 1 the marker, 2 the hold (microseconds); ARGV: 1 microseconds until a slot is free again, 2 Redis's uptime in
-- microseconds. Returns 1 when the marker was set now, 0 when it was there.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('SET', KEYS[1], string.format('%.0f', now))
local held = now - tonumber(ARGV[2]) + tonumber(ARGV[1])
if held > now then
  redis.call('SET', KEYS[2], string.format('%.0f', held), 'PX', math.ceil((held - now) / 1000) + 1000)
end
return 1
