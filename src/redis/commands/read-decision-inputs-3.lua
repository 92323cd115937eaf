--[[
  Reads what a decision needs about one customer in one call: the feature hash and the profile (as
  read-customer-2.lua) and the packed contact history. All three keys carry the customer's hash tag,
  so this is one Redis Cluster slot.

  KEYS[1]  feature hash ({customerId}:f)
  KEYS[2]  profile      ({customerId}:p)
  KEYS[3]  contact history ({customerId}:contact)
  Output   { "<field>\n<value>\n..." or "", profile JSON or false, packed contact history or false }
]]
local flat = redis.call('HGETALL', KEYS[1])
return { table.concat(flat, '\n'), redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]) }
