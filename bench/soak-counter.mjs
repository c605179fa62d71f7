// The soak's target (bench/soak.mjs starts it as a child process of its own, so that it does not
// share the generator's event loop): a loopback node:http server that answers every request as the
// demo target answers `/` (200, `ok\n`, text/plain, keep-alive for 65 s) and counts the requests it
// received. It answers the driver over IPC: 'count' -> { count }, 'reset' -> the same, after zeroing.
// The demo target itself has no counter to read. A counting proxy in front of it was tried: it
// doubles the server-side work per request, and in 1-minute runs on the shared 2-core machine (other
// sessions busy, load average ~6.7) 7,000-22,000 of 120,000 iterations were dropped through it,
// against 1 with this server (load ~5).
import http from 'node:http';

let count = 0;
const server = http.createServer({ noDelay: true }, (req, res) => {
  count++;
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '3' });
    res.end('ok\n');
  });
});
// The demo target's keep-alive settings (engine/target/listen.ts).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

process.on('message', (m) => {
  if (m === 'reset') count = 0;
  if (m === 'count' || m === 'reset') process.send({ count });
});
// The driver went away: so does the server, leaving no process behind.
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}` }));
