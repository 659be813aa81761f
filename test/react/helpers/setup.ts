import { cleanup } from '@testing-library/react';
import { uninstallHosts } from './hosts';
import { resetLog, server } from './site';

/** Every React test file: the msw site is up, and each test starts with no DOM, hosts, handlers, log or fake timers. */
export function emulateSite(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    cleanup();
    server.resetHandlers();
    resetLog();
    uninstallHosts();
    vi.useRealTimers();
  });
  afterAll(() => server.close());
}
