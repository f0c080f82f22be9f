-- Feishu said the quota's window is spent: no slot before now + wait, for any replica.
-- KEYS: 1 the pause until (microseconds); ARGV: 1 the wait in microseconds. Returns the pause's end.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilTime = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > untilTime then return current end
redis.call('SET', KEYS[1], string.format('%.0f', untilTime), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 1000)
return untilTime
