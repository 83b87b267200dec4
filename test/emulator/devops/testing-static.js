// Stateless test-control routes under `/{org}/_test/`: echo, a cheap list and its items (for for-each
// and concurrency tests), redirects, and an HTML 200 (a sign-in page that is not an API answer).
import { adoError, argumentNull, signInPage } from './errors.js';
import { versioned } from './rest.js';

/** Headers never echoed back, so no credential appears in a response body. */
const HIDDEN_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * @param {{ devops: ReturnType<typeof import('./devops.js').createDevOps>['devops'],
 *   sleep: (ms: number) => Promise<boolean> }} deps  sleep: cancelled (false) when the emulator closes
 */
export function installStaticTestRoutes({ devops, sleep }) {
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    devops.route(
      method,
      '/_test/echo',
      versioned((req) => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([name]) => !HIDDEN_HEADERS.includes(name))
        );
        const body = { method: req.method, path: req.path, query: req.query, headers, body: req.body };
        return { status: 200, body };
      })
    );
  }

  devops.route(
    'GET',
    '/_test/items',
    versioned((req) => {
      const count = req.query.count ?? '3';
      if (!/^\d+$/.test(count) || Number(count) > 100000) {
        return adoError(400, `The count '${count}' is not a whole number up to 100000.`, 'ArgumentException');
      }
      const value = Array.from({ length: Number(count) }, (_, i) => ({ id: i + 1, name: `item-${i + 1}` }));
      return { status: 200, body: { count: value.length, value } };
    })
  );

  devops.route(
    'GET',
    '/_test/item/{id}',
    versioned(async (req, { params }) => {
      // A little latency by default: without it each request is answered within one tick and
      // concurrent clients could never be seen overlapping.
      const delayMs = req.query.delayMs ?? '5';
      if (!/^\d+$/.test(delayMs) || Number(delayMs) > 10000) {
        return adoError(
          400,
          `The delayMs '${delayMs}' is not a whole number up to 10000.`,
          'ArgumentException'
        );
      }
      if (Number(delayMs) > 0) await sleep(Number(delayMs));
      const id = params.id ?? '';
      return { status: 200, body: { id: /^\d+$/.test(id) ? Number(id) : id, name: `item-${id}` } };
    })
  );

  devops.route(
    'GET',
    '/_test/redirect',
    versioned((req) => {
      const to = req.query.to;
      if (!to) return argumentNull('to');
      return { status: 302, headers: { location: to }, body: '' };
    })
  );

  devops.route(
    'GET',
    '/_test/html',
    versioned((_req, { org }) => ({ ...signInPage(org.tenantId), status: 200 }))
  );
}
