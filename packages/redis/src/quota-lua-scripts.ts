// The Lua scripts of RedisQuotaStore. Each touches the keys of one counter only, all under one hash tag,
// so each runs atomically on the one node (or Cluster shard) that holds the counter.
//
// Keys of a counter `{prefix:id}`: `:u` a hash of usage buckets (field "seeded" marks a counter seeded
// from storage), `:r` a hash of reservation id -> amount (field "_total" their sum), `:e` a sorted set of
// reservation id by expiry (ms), `:t` a hash of threshold percentages already reported.
//
// Amounts travel as decimal integer strings and are added with HINCRBY, never formatted by Lua (whose
// number formatting would round past 14 digits); sums are compared as Lua numbers, exact below 2^53.

/** Removes expired reservations from `:r`/`:e` (KEYS[2], KEYS[3]) at time ARGV `now`. */
const sweepExpired = `
local function sweep(reservations, expiries, now)
  local expired = redis.call('ZRANGEBYSCORE', expiries, '-inf', now)
  for _, id in ipairs(expired) do
    local held = redis.call('HGET', reservations, id)
    if held then
      if held ~= '0' then redis.call('HINCRBY', reservations, '_total', '-' .. held) end
      redis.call('HDEL', reservations, id)
    end
  end
  if #expired > 0 then redis.call('ZREMRANGEBYSCORE', expiries, '-inf', now) end
end

local function used(buckets, oldest)
  local total = 0
  local fields = redis.call('HGETALL', buckets)
  for i = 1, #fields, 2 do
    if fields[i] ~= 'seeded' then
      if tonumber(fields[i]) < oldest then redis.call('HDEL', buckets, fields[i]) else total = total + tonumber(fields[i + 1]) end
    end
  end
  return total
end
`;

/**
 * Reserve. KEYS: u, r, e. ARGV: now, reservation id, amount, limit, block ("1"/"0"), reservation expiry,
 * oldest bucket, key expiry. Returns {code, used, reserved}: 0 reserved, 1 pending (fits once the
 * reservations in flight settle), 2 exceeded, -1 never seeded.
 */
export const reserveScript = `${sweepExpired}
if redis.call('HEXISTS', KEYS[1], 'seeded') == 0 then return {-1, 0, 0} end
sweep(KEYS[2], KEYS[3], ARGV[1])
local settled = used(KEYS[1], tonumber(ARGV[7]))
local previous = redis.call('HGET', KEYS[2], ARGV[2])
local reserved = tonumber(redis.call('HGET', KEYS[2], '_total') or '0') - tonumber(previous or '0')
local amount = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
if ARGV[5] == '1' and settled + reserved + amount > limit then
  if reserved > 0 and settled + amount <= limit then return {1, settled, reserved} end
  return {2, settled, reserved}
end
if previous and previous ~= '0' then redis.call('HINCRBY', KEYS[2], '_total', '-' .. previous) end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
if ARGV[3] ~= '0' then redis.call('HINCRBY', KEYS[2], '_total', ARGV[3]) else redis.call('HSETNX', KEYS[2], '_total', '0') end
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[2])
for i = 1, 3 do redis.call('PEXPIREAT', KEYS[i], ARGV[8]) end
return {0, settled, reserved}
`;

/**
 * Settle (or, with amount "0" and no thresholds, release). KEYS: u, r, e, t. ARGV: reservation id, amount,
 * bucket, oldest bucket, limit, thresholds ("50,80,100" or ""), key expiry, threshold flags' expiry.
 * Returns {threshold, used, threshold, used, ...} for thresholds crossed for the first time.
 */
export const settleScript = `${sweepExpired}
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then
  if held ~= '0' then redis.call('HINCRBY', KEYS[2], '_total', '-' .. held) end
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
end
if redis.call('HEXISTS', KEYS[1], 'seeded') == 0 then return {} end
if ARGV[2] ~= '0' then redis.call('HINCRBY', KEYS[1], ARGV[3], ARGV[2]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
local crossed = {}
if ARGV[6] ~= '' then
  local settled = used(KEYS[1], tonumber(ARGV[4]))
  local limit = tonumber(ARGV[5])
  for threshold in string.gmatch(ARGV[6], '[^,]+') do
    if settled * 100 >= tonumber(threshold) * limit and redis.call('HSETNX', KEYS[4], threshold, '1') == 1 then
      table.insert(crossed, tonumber(threshold))
      table.insert(crossed, settled)
    end
  end
  if #crossed > 0 and redis.call('PTTL', KEYS[4]) < 0 then redis.call('PEXPIREAT', KEYS[4], ARGV[8]) end
end
return crossed
`;

/**
 * Seed, set-if-absent. KEYS: u. ARGV: key expiry, then bucket, amount pairs. Returns 1 when it seeded,
 * 0 when another instance (or earlier use) already had.
 */
export const seedScript = `
if redis.call('HSETNX', KEYS[1], 'seeded', '1') == 0 then return 0 end
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] ~= '0' then redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
`;

/** Read. KEYS: u, r, e. ARGV: now, oldest bucket. Returns {seeded (1/0), used, reserved}. */
export const readScript = `${sweepExpired}
sweep(KEYS[2], KEYS[3], ARGV[1])
local seeded = redis.call('HEXISTS', KEYS[1], 'seeded')
return {seeded, used(KEYS[1], tonumber(ARGV[2])), tonumber(redis.call('HGET', KEYS[2], '_total') or '0')}
`;
