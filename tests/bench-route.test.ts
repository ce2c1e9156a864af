import { afterEach, describe, expect, it, vi } from 'vitest';
import BenchDashboardPage from '@/app/bench/dashboard/page';
import { resetConfig } from '@/lib/server/testing';

// connection() only marks the page as rendered per request; outside a request it throws.
vi.mock('next/server', async (importOriginal) => ({
  ...(await importOriginal<typeof import('next/server')>()),
  connection: async () => undefined,
}));

afterEach(() => {
  delete process.env.BENCH_ROUTES;
  resetConfig();
});

describe('/bench/dashboard (npm run bench baseline)', () => {
  it('is not found unless BENCH_ROUTES is on', async () => {
    resetConfig();
    await expect(BenchDashboardPage()).rejects.toMatchObject({
      digest: expect.stringContaining('404'),
    });
  });

  it('with the flag, renders the fixed fake user and nothing from the request', async () => {
    process.env.BENCH_ROUTES = 'true';
    resetConfig();
    const element = await BenchDashboardPage();
    expect(element.props.user).toMatchObject({
      id: 'usr_01HALICE0000000000000001',
      email: 'alice@example.com',
    });
    expect(Object.isFrozen(element.props.user)).toBe(true);
  });
});
