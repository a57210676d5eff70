// What the tests of the reference servers share: an HTTP client that never throws on a status or
// a body that is not JSON, and the checks that run every named fault against a healthy twin.
import { type APIRequestContext, expect, request, test } from '@playwright/test';

export interface Res {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is: for bodies that are not valid JSON. */
  raw?: string;
  contentType?: string;
  /** `null` sends no token; left out, the client's own. */
  token?: string | null;
  headers?: Record<string, string>;
}

/**
 * Asks again until the answer is what `done` wants, however long that takes (no deadline: a server
 * that never gets there is a test that never ends, which the runner reports), and returns it.
 */
export async function until<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  for (;;) {
    const answer = await ask();
    if (done(answer)) return answer;
    // A pause between two questions, so that polling a local server leaves it the CPU.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A client bound to one server and one token; a subclass says where relative paths go. */
export abstract class ServerApi {
  constructor(
    protected readonly http: APIRequestContext,
    readonly root: string,
    protected readonly token: string,
  ) {}

  abstract get base(): string;

  /** The headers that carry the token: X-Auth-Token, unless the API says otherwise. */
  protected async credentials(token: string, _request: { method: string; url: string; body?: string }): Promise<Record<string, string>> {
    return { 'X-Auth-Token': token };
  }

  /** Any status comes back as an answer; `json` is undefined when the body is empty or not JSON. */
  async call(method: string, path: string, opts: CallOptions = {}): Promise<Res> {
    const headers: Record<string, string> = {};
    const token = opts.token === undefined ? this.token : opts.token;
    let data: Buffer | undefined;
    if (opts.body !== undefined || opts.raw !== undefined) {
      // A Buffer goes on the wire as is (a string would be JSON-encoded again by Playwright).
      data = Buffer.from(opts.raw ?? JSON.stringify(opts.body));
      headers['Content-Type'] = opts.contentType ?? 'application/json';
    }
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    if (token !== null) Object.assign(headers, await this.credentials(token, { method, url, body: data?.toString() }));
    Object.assign(headers, opts.headers);
    const res = await this.http.fetch(url, { method, headers, data, failOnStatusCode: false });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status(), headers: res.headers(), text, json };
  }
}

/** How one named fault is seen: what `probe` observes on a healthy server and on a faulty one. */
export interface FaultCase<C, O> {
  /** Options for both servers, over the profile's own. */
  options?: Partial<O>;
  probe(c: C): Promise<unknown>;
  healthy: unknown;
  faulty: unknown;
}

interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The tests of a group that share one server (started for the worker, closed after it): each test
 * gets the server, an HTTP context and, from `client`, a fresh client of it (a project of its own).
 */
export function serverTest<S extends RunningServer, A>(start: () => Promise<S>, client: (http: APIRequestContext, server: S) => A) {
  return test.extend<{ api: A; http: APIRequestContext }, { server: S }>({
    server: [
      async ({}, use) => {
        const server = await start();
        await use(server);
        await server.close();
      },
      { scope: 'worker' },
    ],
    http: async ({ request: http }, use) => use(http),
    api: async ({ http, server }, use) => use(client(http, server)),
  });
}

/** Declares a group or a test: Playwright files it under the place that calls test(), so each spec passes its own. */
type Declare<R> = (title: string, body: () => R) => void;

/**
 * One test per named fault: its probe runs against a healthy server and a faulty one started
 * with the same options, so the fault is the only difference between the two observations.
 */
export function describeFaults<F extends string, O extends { faults?: F[] }, C>(profile: {
  /** Each named fault with its description. */
  faults: Record<F, string>;
  cases: Record<F, FaultCase<C, O>>;
  /** What every server of these tests starts with. */
  options: NoInfer<O>;
  start(options: NoInfer<O>): Promise<RunningServer>;
  client(http: APIRequestContext, url: string): C;
  /** The check that every fault has a description and a case. */
  coverageTitle?: string;
  describe: Declare<void>;
  test: Declare<Promise<void> | void>;
}): void {
  const { faults, cases, describe } = profile;

  profile.test(profile.coverageTitle ?? 'every named fault has a description and a probe', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(faults).sort());
    for (const description of Object.values<string>(faults)) expect(description.length).toBeGreaterThan(10);
  });

  for (const [fault, spec] of Object.entries(cases) as Array<[F, FaultCase<C, O>]>) {
    describe(`fault ${fault}`, () => {
      let healthy: RunningServer;
      let faulty: RunningServer;
      let http: APIRequestContext;

      test.beforeAll(async () => {
        const options: O = { ...profile.options, ...spec.options };
        healthy = await profile.start(options);
        faulty = await profile.start({ ...options, faults: [fault] });
        http = await request.newContext();
      });
      test.afterAll(async () => {
        await http.dispose();
        await Promise.all([healthy.close(), faulty.close()]);
      });

      profile.test(`changes only its behaviour: ${faults[fault]}`, async () => {
        expect(await spec.probe(profile.client(http, healthy.url))).toEqual(spec.healthy);
        expect(await spec.probe(profile.client(http, faulty.url))).toEqual(spec.faulty);
      });
    });
  }
}
