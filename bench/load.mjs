// The load generator, in its own process: autocannon against one URL, result as one JSON line on stdout.
import autocannon from 'autocannon';

const [url, seconds, connections] = process.argv.slice(2);
const result = await autocannon({ url, duration: Number(seconds), connections: Number(connections), pipelining: 1 });
process.stdout.write(
  `${JSON.stringify({
    total: result.requests.total,
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  })}\n`,
);
