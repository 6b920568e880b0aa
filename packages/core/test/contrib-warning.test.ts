import { afterEach, describe, expect, it, vi } from 'vitest';
import { warnContribStoreOnce } from '../src/index.js';

describe('warnContribStoreOnce', () => {
  afterEach(() => vi.restoreAllMocks());

  it('warns once per store name per process', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    warnContribStoreOnce('TestOnlineStore');
    warnContribStoreOnce('TestOnlineStore');
    warnContribStoreOnce('OtherOnlineStore');
    expect(spy).toHaveBeenCalledTimes(2);
    expect(String(spy.mock.calls[0]![0])).toMatch(/^TestOnlineStore is a contrib online store: experimental/);
    expect(spy.mock.calls[0]![1]).toMatchObject({ type: 'ExperimentalWarning', code: 'FEAST_TS_CONTRIB_STORE' });
  });
});
