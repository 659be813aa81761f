// @vitest-environment jsdom
import { createRequestLog } from '../../emulator/ui/request-log';

/**
 * The request log's waterfall (issue 21): each call's start and end on the emulator page's clock, and a bar per
 * call on one time axis, so what ran in parallel overlaps and what waited starts after what it waited for.
 */

let clock = 0;
beforeEach(() => {
  clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
});
afterEach(() => vi.restoreAllMocks());

const at = (ms: number) => (clock = ms);
const rowOf = (log: ReturnType<typeof createRequestLog>, path: string) =>
  [...log.element.querySelectorAll<HTMLElement>('li')].find((row) => row.textContent?.includes(path))!;

describe('the request log as a waterfall', () => {
  it("stamps each call's start and answer, and places its bar on the shared axis", () => {
    const log = createRequestLog();
    at(100);
    log.record({ id: 1, method: 'GET', path: '/wiki/api/v2/pages/1', status: 'pending' });
    at(110);
    log.record({ id: 2, method: 'GET', path: '/wiki/rest/api/user/current', status: 'pending' });
    at(260);
    log.record({ id: 1, method: 'GET', path: '/wiki/api/v2/pages/1', status: 200, ms: 160 });
    at(270);
    log.record({ id: 2, method: 'GET', path: '/wiki/rest/api/user/current', status: 200, ms: 160 });
    // A call that waited for the page before it started.
    log.record({ id: 3, method: 'GET', path: '/wiki/api/v2/spaces/9', status: 'pending' });
    at(420);
    log.record({ id: 3, method: 'GET', path: '/wiki/api/v2/spaces/9', status: 200, ms: 150 });

    const page = rowOf(log, '/api/v2/pages/1');
    const user = rowOf(log, '/rest/api/user/current');
    const space = rowOf(log, '/api/v2/spaces/9');
    expect([page.dataset.startMs, page.dataset.endMs]).toEqual(['100.0', '260.0']);
    expect([user.dataset.startMs, user.dataset.endMs]).toEqual(['110.0', '270.0']);
    expect([space.dataset.startMs, space.dataset.endMs]).toEqual(['270.0', '420.0']);
    expect(page.title).toBe('started 100 ms, answered 260 ms after the page loaded');

    const list = log.element.querySelector<HTMLElement>('[data-testid="request-log"]')!;
    expect(list.style.getPropertyValue('--axis-start')).toBe('100.0');
    expect(list.style.getPropertyValue('--axis-span')).toBe('320.0');
    const bar = (row: HTMLElement) => row.querySelector<HTMLElement>('[data-testid="log-bar"]')!.style;
    expect([bar(space).getPropertyValue('--start'), bar(space).getPropertyValue('--end')]).toEqual(['270.0', '420.0']);
    expect(log.element.querySelector('[data-testid="request-log-axis"]')?.textContent).toBe('100–420 ms');
  });

  it('runs a pending call to the end of the axis, and keeps its start when the answer arrives', () => {
    const log = createRequestLog();
    at(50);
    log.record({ id: 1, host: 'backend', method: 'GET', path: '/wiki/api/v2/pages', status: 'pending' });
    at(80);
    const pending = rowOf(log, '/api/v2/pages');
    expect(pending.dataset.endMs).toBeUndefined();
    expect(pending.querySelector<HTMLElement>('[data-testid="log-bar"]')!.style.getPropertyValue('--end')).toBe('');
    at(230);
    log.record({ id: 1, host: 'backend', method: 'GET', path: '/wiki/api/v2/pages', status: 200, ms: 180 });
    const answered = rowOf(log, '/api/v2/pages');
    expect([answered.dataset.startMs, answered.dataset.endMs]).toEqual(['50.0', '230.0']);
  });

  it('starts a new axis after Clear', () => {
    const log = createRequestLog();
    at(10);
    log.record({ id: 1, method: 'GET', path: '/wiki/api/v2/pages/1', status: 200, ms: 0 });
    log.element.querySelector('button')!.click();
    expect(log.element.querySelectorAll('li')).toHaveLength(0);
    at(900);
    log.record({ id: 2, method: 'GET', path: '/wiki/api/v2/pages/2', status: 'pending' });
    at(1000);
    log.record({ id: 2, method: 'GET', path: '/wiki/api/v2/pages/2', status: 200, ms: 100 });
    const list = log.element.querySelector<HTMLElement>('[data-testid="request-log"]')!;
    expect(list.style.getPropertyValue('--axis-start')).toBe('900.0');
    expect(list.style.getPropertyValue('--axis-span')).toBe('100.0');
  });
});

describe('the request log for a call the emulator does not emulate', () => {
  it('says "not emulated" under a 501 row, and nothing under a refusal', () => {
    const log = createRequestLog();
    log.record({ id: 1, method: 'GET', path: '/wiki/rest/api/audit', status: 501, ms: 2 });
    log.record({ id: 2, method: 'GET', path: '/wiki/api/v2/pages/9', status: 403, ms: 2 });
    const detailOf = (path: string) => rowOf(log, path).querySelector('[data-testid="log-detail"]')?.textContent;
    expect(detailOf('/rest/api/audit')).toMatch(/^not emulated/);
    expect(detailOf('/api/v2/pages/9')).toBeUndefined();
  });
});
