--[[
  Reads one customer's feature hash and profile in one call, packed into two strings so the client
  decodes two bulk replies instead of hundreds of hash fields.

  KEYS[1]  feature hash ({customerId}:f)
  KEYS[2]  profile      ({customerId}:p)
  Output   { "<field>\n<value>\n<field>\n<value>..." or "", profile JSON or false }
]]
local flat = redis.call('HGETALL', KEYS[1])
return { table.concat(flat, '\n'), redis.call('GET', KEYS[2]) }
