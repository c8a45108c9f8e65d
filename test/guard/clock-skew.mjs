// A runner whose clock is off, for BADTIME tests through dist/: preloaded into the step's process (with
// NODE_OPTIONS), it moves Date.now by CLOCK_SKEW_SECONDS, so the time the action signs its queries with is
// off by that much. Nothing else of the process changes.
const skewMs = Number(process.env.CLOCK_SKEW_SECONDS ?? '0') * 1000;
if (Number.isFinite(skewMs) && skewMs !== 0) {
  const realNow = Date.now;
  Date.now = () => realNow() + skewMs;
}
