import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireTestServer, isCI, reportNoServer, requireTestServer, SharedTestServer, startedOrSkip, type StoppableServer, type TestServerSpec } from '../src/policy.js';

const ENV = 'FEAST_TEST_SERVERS_POLICY_URL';

function spec(startThrowaway: () => Promise<StoppableServer | string>): TestServerSpec<StoppableServer> {
  return {
    what: 'Policy tests',
    envVar: ENV,
    fromEnv: (value) => ({ description: `env ${value}`, async stop() {} }),
    startThrowaway,
    hint: 'Do something.',
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('acquireTestServer', () => {
  it('takes the environment variable first and starts nothing', async () => {
    vi.stubEnv(ENV, 'redis://example:1');
    const start = vi.fn(async () => 'unused');
    const got = await acquireTestServer(spec(start));
    expect(got.source).toBe('env');
    expect(got.server?.description).toBe('env redis://example:1');
    expect(start).not.toHaveBeenCalled();
  });

  it('falls back to a throwaway server, then to the reasons', async () => {
    vi.stubEnv(ENV, '');
    const server = { description: 'throwaway', async stop() {} };
    expect((await acquireTestServer(spec(async () => server))).server).toBe(server);
    const none = await acquireTestServer(spec(async () => 'no binary'));
    expect(none.server).toBeUndefined();
    expect(none.reasons).toEqual([`${ENV} is not set`, 'no binary']);
    const threw = await acquireTestServer(spec(async () => { throw new Error('boom'); }));
    expect(threw.reasons[1]).toContain('boom');
  });
});

describe('reportNoServer', () => {
  it('fails with CI set, never skips', async () => {
    vi.stubEnv('CI', 'true');
    vi.stubEnv(ENV, '');
    expect(isCI()).toBe(true);
    expect(() => reportNoServer('X tests', ['a', 'b'], 'Install x.')).toThrow(/X tests: no server available \(a; b\)\. Install x\. CI is set/);
    await expect(requireTestServer(spec(async () => 'no binary'))).rejects.toThrow(/no binary/);
  });

  it('warns loudly and returns outside CI', async () => {
    vi.stubEnv('CI', 'false');
    vi.stubEnv(ENV, '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await requireTestServer(spec(async () => 'no binary'))).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toMatch(/SKIPPED Policy tests/);
  });
});

describe('SharedTestServer', () => {
  it('starts one server for every holder and stops it when the last one lets go', async () => {
    vi.stubEnv(ENV, '');
    const stop = vi.fn(async () => {});
    const start = vi.fn(async () => ({ description: 'throwaway', stop }));
    const shared = new SharedTestServer(spec(start));
    const [a, b] = await Promise.all([shared.hold(), shared.hold()]);
    expect(a).toBe(b);
    expect(start).toHaveBeenCalledTimes(1);
    await shared.release();
    expect(stop).not.toHaveBeenCalled();
    await shared.release();
    expect(stop).toHaveBeenCalledTimes(1);
    await shared.hold(); // a new holder after the last: a new server
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('throws the reasons when there is no server, and a release after that stops nothing', async () => {
    vi.stubEnv(ENV, '');
    const shared = new SharedTestServer(spec(async () => 'no binary'));
    await expect(shared.hold()).rejects.toThrow(`No server for Policy tests: ${ENV} is not set; no binary`);
    await expect(shared.release()).resolves.toBeUndefined();
  });
});

describe('startedOrSkip', () => {
  it('passes a server through; a reason is a warning outside CI and an error in CI', () => {
    const server = { description: 'x', async stop() {} };
    expect(startedOrSkip(server, 'start')).toBe(server);
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(startedOrSkip('no binary', 'startThing')).toBeUndefined();
    expect(warn).toHaveBeenCalledWith('SKIPPED startThing: no binary');
    vi.stubEnv('CI', 'true');
    expect(() => startedOrSkip('no binary', 'startThing')).toThrow(/startThing: no binary; CI is set/);
  });
});
