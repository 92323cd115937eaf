--[[
  Reads what decisions need about their customers, for every decision of one turn of the service's
  event loop in one call: per customer, the feature hash and the profile (as read-customer-2.lua) and
  the packed contact history.

  KEYS     three per customer: feature hash ({customerId}:f), profile ({customerId}:p), contact
           history ({customerId}:contact)
  Output   three per customer, in KEYS order: "<field>\n<value>\n..." or "", profile JSON or false,
           packed contact history or false

  One customer's keys share its hash tag (one Redis Cluster slot); several customers' keys do not:
  this script is for a single Redis (as the service connects today); a Cluster deployment would
  send one call per slot.
]]
local out = {}
for k = 1, #KEYS, 3 do
  local flat = redis.call('HGETALL', KEYS[k])
  out[k] = table.concat(flat, '\n')
  out[k + 1] = redis.call('GET', KEYS[k + 1])
  out[k + 2] = redis.call('GET', KEYS[k + 2])
end
return out
