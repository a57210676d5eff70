// A hostile target: a proxy in front of a correct reference server that answers some reads badly,
// one way per scenario. Writes always pass through, so what the suite makes it can also remove.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const SCENARIOS = {
  hang: 'accepts the request and never answers',
  reset: 'resets the connection',
  storm: 'answers 503 every time',
  'not-json': 'answers 200 with an HTML page',
  truncated: 'answers 200 with JSON cut in the middle',
  'content-length': 'announces more bytes than it sends, then closes',
  huge: 'answers 200 with a 50 MB body',
  drip: 'sends its answer one byte per second',
  redirect: 'redirects to another host',
  'foreign-link': 'gives pages whose next link points at another host',
} as const;
export type Scenario = keyof typeof SCENARIOS;

export interface HostileTarget {
  url: string;
  /** How many requests met the bad behaviour. */
  hits(): number;
  close(): Promise<void>;
}

/** The reads that misbehave: the detail list (the list itself for paging links). */
const victim = (scenario: Scenario, req: IncomingMessage) =>
  req.method === 'GET' && (scenario === 'foreign-link' ? /\/snapshots\?(.*&)?limit=/.test(req.url ?? '') : /\/snapshots\/detail(\?|$)/.test(req.url ?? ''));

export async function startHostile(upstream: string, scenario: Scenario): Promise<HostileTarget> {
  const up = new URL(upstream);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let hits = 0;
  const server = createServer((req, res) => {
    if (!victim(scenario, req)) return forward(req, res);
    hits++;
    misbehave(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function forward(req: IncomingMessage, res: ServerResponse, rewrite?: (body: string) => string) {
    const out = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (!rewrite) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      let body = '';
      answer.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => {
        const text = rewrite(body);
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  }

  function misbehave(req: IncomingMessage, res: ServerResponse) {
    const json = { 'Content-Type': 'application/json' };
    switch (scenario) {
      case 'hang':
        return; // the socket stays open until close()
      case 'reset':
        return req.socket.destroy();
      case 'storm':
        res.writeHead(503, json);
        return res.end('{"computeFault": {"code": 503, "message": "Service Unavailable"}}');
      case 'not-json':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end('<html><body>Gateway says hello</body></html>');
      case 'truncated': {
        const body = '{"snapshots": [{"id": "0c2a4c9e-3f5f-4d3e';
        res.writeHead(200, { ...json, 'Content-Length': Buffer.byteLength(body) });
        return res.end(body);
      }
      case 'content-length':
        res.writeHead(200, { ...json, 'Content-Length': '1000' });
        res.write('{"snapshots": []}');
        return void setTimer(() => res.destroy(), 50);
      case 'huge': {
        res.writeHead(200, json);
        const chunk = 'x'.repeat(1024 * 1024);
        res.write('{"snapshots": [], "padding": "');
        for (let i = 0; i < 50; i++) res.write(chunk);
        return res.end('"}');
      }
      case 'drip': {
        const body = '{"snapshots": []}';
        res.writeHead(200, { ...json, 'Content-Length': Buffer.byteLength(body) });
        let i = 0;
        const next = () => {
          if (res.destroyed) return;
          res.write(body[i++]!);
          if (i < body.length) setTimer(next, 1000);
          else res.end();
        };
        return next();
      }
      case 'redirect':
        res.writeHead(302, { Location: 'http://127.0.0.2:9/v3/elsewhere/snapshots/detail' });
        return res.end();
      case 'foreign-link':
        return forward(req, res, (body) => body.replace(/"href": ?"http:\/\/[^/"]+/g, '"href": "http://127.0.0.2:9'));
    }
  }

  function setTimer(fn: () => void, ms: number) {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${up.pathname.replace(/\/$/, '')}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
