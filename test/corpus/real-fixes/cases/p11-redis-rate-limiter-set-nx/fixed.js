// Tabcorp/redis-rate-limiter issue #1 (the fix the maintainer gives there): the window's counter is
// created with SET ... NX EX, so it always carries its expiry, and then INCR'ed in the same MULTI;
// the count INCR answers is the one compared with the limit.
export function rateLimiter(opts) {
  return function limit(request, callback) {
    const realKey = opts.key(request) + ':' + opts.window;
    opts.redis
      .multi()
      .set(realKey, 0, 'EX', opts.window, 'NX')
      .incr(realKey)
      .ttl(realKey)
      .exec(function (err, results) {
        if (err) {
          callback(err);
          return;
        }
        const current = results[1];
        callback(null, {
          key: realKey,
          current: current,
          limit: opts.limit,
          window: opts.window,
          over: current > opts.limit,
        });
      });
  };
}

export function middleware(opts) {
  const limiter = rateLimiter(opts);
  return function (req, res, next) {
    limiter(req, function (err, rate) {
      if (err) return next();
      if (rate.over) return res.status(429).send('Too many requests');
      next();
    });
  };
}
