import { PAGES, createWorld, isEmulatorError, type Latency } from '../../src/testing/index';
import { call } from './helpers';

describe('world latency (latencyMs)', () => {
  test('every answer waits the latency, emulated or not; 0 by default', async () => {
    const world = createWorld({ latencyMs: 80 });
    expect(world.latencyMs).toBe(80);
    for (const path of [`/wiki/api/v2/pages/${PAGES.home}`, '/wiki/api/v2/whiteboards/1']) {
      const started = performance.now();
      await call(world, 'GET', path);
      expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    }
    expect(createWorld().latencyMs).toBe(0);
  });

  test('a range draws each wait from { min, max }; setLatency changes it for the next request', async () => {
    const world = createWorld();
    world.setLatency({ min: 60, max: 90 });
    const started = performance.now();
    await call(world, 'GET', `/wiki/api/v2/pages/${PAGES.home}`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  test.each([-1, Number.NaN, { min: 50, max: 10 }, { min: -5, max: 10 }])('%j is a typed INVALID_OPTION', (latency) => {
    let caught: unknown;
    try {
      createWorld({ latencyMs: latency as Latency });
    } catch (error) {
      caught = error;
    }
    expect(isEmulatorError(caught) && caught.code).toBe('INVALID_OPTION');
    expect(() => createWorld().setLatency(latency as Latency)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
