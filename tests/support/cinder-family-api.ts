// The client the tests of the Cinder-family reference servers (Cinder, EVS) share: one server, API
// family and project (a fresh project by default), with the steps most tests start from.
import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect } from '@playwright/test';
import { type CallOptions, type Res, ServerApi } from './server-api.ts';

export class CinderFamilyApi extends ServerApi {
  readonly project = randomUUID().replaceAll('-', '');

  constructor(
    http: APIRequestContext,
    root: string,
    token: string,
    readonly family: 'v2' | 'v3' = 'v3',
  ) {
    super(http, root, token);
  }

  get base(): string {
    return `${this.root}/${this.family}/${this.project}`;
  }

  /** `mv` asks for a microversion. */
  override call(method: string, path: string, opts: CallOptions & { mv?: string } = {}): Promise<Res> {
    const { mv, ...rest } = opts;
    return super.call(method, path, mv ? { ...rest, headers: { 'OpenStack-API-Version': `volume ${mv}` } } : rest);
  }

  async volume(size = 1, name = 'parent'): Promise<string> {
    const res = await this.call('POST', '/volumes', { body: { volume: { size, name } } });
    expect(res.status).toBe(202);
    const id: string = res.json.volume.id;
    await this.waitFor(`/volumes/${id}`, 'available', 'volume');
    return id;
  }

  snapshot(volumeId: string, fields: Record<string, unknown> = {}, mv?: string): Promise<Res> {
    return this.call('POST', '/snapshots', { body: { snapshot: { volume_id: volumeId, ...fields } }, mv });
  }

  /** Creates a snapshot and waits until it is available; returns its id. */
  async ready(volumeId: string, fields: Record<string, unknown> = {}): Promise<string> {
    const res = await this.snapshot(volumeId, fields);
    expect(res.status).toBe(202);
    await this.waitFor(`/snapshots/${res.json.snapshot.id}`, 'available');
    return res.json.snapshot.id;
  }

  /** Polls until the status comes, however long that takes. */
  async waitFor(path: string, status: string | 404, key = 'snapshot'): Promise<void> {
    await expect
      .poll(async () => {
        const res = await this.call('GET', path);
        return res.status === 404 ? 404 : res.json?.[key]?.status;
      }, { timeout: 0, intervals: [10] })
      .toBe(status);
  }
}
