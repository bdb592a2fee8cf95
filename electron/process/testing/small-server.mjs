// A real, small process for supervisor tests: serves GET /health on --port, logs to stdout and
// stderr, and can be told to crash at start (--exit-code N) or to ignore SIGTERM (--stubborn).
import { createServer } from 'node:http';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

if (arg('exit-code')) {
  console.error(`failing on purpose with exit code ${arg('exit-code')}`);
  process.exit(Number(arg('exit-code')));
}
if (process.argv.includes('--stubborn')) process.on('SIGTERM', () => console.log('ignoring SIGTERM'));

const server = createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'healthy', pid: process.pid }));
});
server.listen(Number(arg('port') ?? 0), '127.0.0.1', () => {
  console.log(`small-server ${process.pid} listening on ${server.address().port}`);
  console.error('a line on stderr');
});
