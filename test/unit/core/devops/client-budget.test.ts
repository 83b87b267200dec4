import { createDevOpsClient, type Budget } from '../../../../src/core/devops/client.js';
import {
  BudgetExceededError,
  EndpointTimeoutError,
  ResponseTooLargeError
} from '../../../../src/core/errors.js';
import { createHostPolicy } from '../../../../src/core/devops/host-policy.js';
import {
  createDeadline,
  NetworkError,
  type HttpRequest,
  type HttpTransport
} from '../../../../src/core/http/transport.js';
import { parseOperations } from '../../../../src/core/operations/parse.js';
import { runOperations } from '../../../../src/core/operations/run.js';
import { createThrottle } from '../../../../src/core/http/throttle.js';
import { createClientHarness, createFakeClock, createFakeTokens, IDENTITY, ORG } from '../../devops-fakes.js';
import { createTestGuard, json, rejectionOf } from '../../fakes.js';

const URL_ = 'https://dev.azure.com/contoso/_apis/projects?api-version=7.1';
/** As messages quote it: without the query. */
const SHOWN = 'https://dev.azure.com/contoso/_apis/projects';
const busy = (retryAfter: string) => json(503, {}, { 'retry-after': retryAfter });

function budgetOn(now: () => number, seconds = 2): Budget {
  return {
    deadline: createDeadline(seconds, now),
    exceeded: (what, detail) => new BudgetExceededError(`${what} ran out of budget ${detail}.`, seconds)
  };
}

describe('DevOpsClient: a total budget bounds retries, pauses and hung requests', () => {
  test('a retry whose wait does not fit in what is left fails with the budget error, not after 6 attempts', async () => {
    const h = createClientHarness([busy('1'), busy('1'), busy('1')]);
    const error = await rejectionOf(
      h.client.send({
        method: 'GET',
        url: new URL(URL_),
        description: 'Verifying the token',
        budget: budgetOn(h.clock.now)
      })
    );
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error.message).toBe(
      `Verifying the token ran out of budget before it could retry GET ${SHOWN} after HTTP 503 (a wait of 1.0 s).`
    );
    expect(h.transport.requests).toHaveLength(2);
  });

  test('each request carries the deadline, so the transport cuts a hung request off at the budget', async () => {
    const h = createClientHarness([json(200, {})]);
    const budget = budgetOn(h.clock.now, 5);
    await h.client.send({ method: 'GET', url: new URL(URL_), budget });
    expect(h.transport.requests[0]?.deadline).toBe(budget.deadline);
  });

  test('a request the transport cut off at the budget is reported as the budget, naming the request', async () => {
    const clock = createFakeClock();
    const { guard } = createTestGuard();
    const requests: HttpRequest[] = [];
    // Hangs until the deadline, as the real transport does with a silent server.
    const transport: HttpTransport = {
      send(request) {
        requests.push(request);
        clock.advance(request.deadline?.remainingMs() ?? 60_000);
        return Promise.reject(new EndpointTimeoutError(request.endpoint, request.url, 2));
      }
    };
    const client = createDevOpsClient({
      transport,
      tokens: createFakeTokens(['t-0001']),
      hosts: createHostPolicy(ORG, []),
      throttle: createThrottle(guard, clock.sleep, clock.now),
      guard,
      identity: IDENTITY,
      organizationName: 'contoso',
      logRequest: () => undefined,
      sleep: clock.sleep
    });
    const error = await rejectionOf(
      client.send({ method: 'GET', url: new URL(URL_), description: 'op', budget: budgetOn(clock.now) })
    );
    expect(error.message).toBe(`op ran out of budget while waiting for GET ${SHOWN} to answer.`);
    expect(requests).toHaveLength(1);
  });

  test('a rate-limit pause longer than the budget ends with the budget', async () => {
    const h = createClientHarness([json(200, {})]);
    h.throttle.pause(60_000, 'Azure DevOps said so');
    const error = await rejectionOf(
      h.client.send({ method: 'GET', url: new URL(URL_), description: 'op', budget: budgetOn(h.clock.now) })
    );
    expect(error.message).toBe(
      "op ran out of budget while requests were held back by Azure DevOps' rate limit."
    );
    expect(h.clock.delays).toEqual([2000]);
    expect(h.transport.requests).toHaveLength(0);
  });
});

/** A budget whose time runs out once the transport has seen `requests` requests. */
function budgetAfter(h: ReturnType<typeof createClientHarness>, requests: number): Budget {
  return {
    deadline: { seconds: 5, remainingMs: () => (h.transport.requests.length >= requests ? 0 : 5000) },
    exceeded: (what, detail) => new BudgetExceededError(`${what} ran out of budget ${detail}.`, 5)
  };
}
const OTHER_HOST = 'https://blob.storage.example/a';
const toOtherHost = { status: 302, headers: { location: OTHER_HOST }, body: '' };

describe('DevOpsClient: the budget across requests and redirects', () => {
  test('a budget already spent stops the request before it is sent, named by method and URL without a description', async () => {
    const h = createClientHarness([json(200, {})]);
    const error = await rejectionOf(
      h.client.send({ method: 'GET', url: new URL(URL_), budget: budgetAfter(h, 0) })
    );
    expect(error.message).toBe(`GET ${SHOWN} ran out of budget before GET ${SHOWN} could be sent.`);
    expect(h.transport.requests).toHaveLength(0);
  });

  test('the request to another host carries the budget', async () => {
    const h = createClientHarness([toOtherHost, json(200, {})]);
    const budget = budgetAfter(h, 99);
    await h.client.send({ method: 'GET', url: new URL(URL_), budget });
    expect(h.transport.requests.map((r) => r.deadline)).toEqual([budget.deadline, budget.deadline]);
  });

  test('a budget spent by the time of a redirect to another host stops it there', async () => {
    const h = createClientHarness([toOtherHost, json(200, {})]);
    const error = await rejectionOf(
      h.client.send({ method: 'GET', url: new URL(URL_), description: 'op', budget: budgetAfter(h, 1) })
    );
    expect(error.message).toBe('op ran out of budget before following the redirect to blob.storage.example.');
    expect(h.transport.requests).toHaveLength(1);
  });

  test('the other host cut off at the budget is reported as the budget, naming the host', async () => {
    const timeout = new EndpointTimeoutError('Azure DevOps host blob.storage.example', OTHER_HOST, 5);
    const h = createClientHarness([toOtherHost, timeout]);
    const error = await rejectionOf(
      h.client.send({ method: 'GET', url: new URL(URL_), description: 'op', budget: budgetAfter(h, 2) })
    );
    expect(error.message).toBe('op ran out of budget while waiting for blob.storage.example to answer.');
  });

  test('a timeout from the other host with budget left, or another error when it is spent, comes back as it is', async () => {
    const timeout = new EndpointTimeoutError('Azure DevOps host blob.storage.example', OTHER_HOST, 60);
    const slow = createClientHarness([toOtherHost, timeout]);
    expect(
      await rejectionOf(
        slow.client.send({ method: 'GET', url: new URL(URL_), budget: budgetAfter(slow, 99) })
      )
    ).toBe(timeout);
    const offline = new NetworkError('Could not reach the host (blob.storage.example): reset.', 'ECONNRESET');
    const down = createClientHarness([toOtherHost, offline]);
    expect(
      await rejectionOf(down.client.send({ method: 'GET', url: new URL(URL_), budget: budgetAfter(down, 2) }))
    ).toBe(offline);
  });
});

describe('runOperations: the operations budget', () => {
  test('pages of a hung listing stop at the budget, with the operation, the budget and the input named', async () => {
    const { guard } = createTestGuard();
    const throttle = createThrottle(guard, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    let sent = 0;
    // The first page answers with a continuation token; the second never answers.
    const transport: HttpTransport = {
      send(request) {
        sent++;
        if (sent === 1)
          return Promise.resolve({
            ...json(200, { value: [1] }, { 'x-ms-continuationtoken': 'next' })
          });
        return new Promise((_, reject) =>
          setTimeout(
            () => reject(new EndpointTimeoutError(request.endpoint, request.url, 1)),
            request.deadline?.remainingMs() ?? 60_000
          )
        );
      }
    };
    const client = createDevOpsClient({
      transport,
      tokens: createFakeTokens(['t-0001']),
      hosts: createHostPolicy(ORG, []),
      throttle,
      guard,
      identity: IDENTITY,
      organizationName: 'contoso',
      logRequest: () => undefined
    });
    const started = Date.now();
    const error = await rejectionOf(
      runOperations(
        parseOperations('- name: repos\n  url: _apis/git/repositories\n  paginate: true\n', 'ops', ORG),
        {
          client,
          organization: ORG,
          identity: IDENTITY,
          env: {},
          guard,
          stats: { requests: 0, retries: 0 },
          throttle,
          budget: { seconds: 1, input: 'operations-timeout' }
        }
      )
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error.message).toBe(
      `Operation 1 ('repos') did not finish: the operations' time budget of 1 second ran out while waiting for GET https://dev.azure.com/contoso/_apis/git/repositories to answer. Raise 'operations-timeout' (seconds) if the operations need longer, or make them do less (fewer pages or items, narrower queries).`
    );
    expect(sent).toBe(2);
  });
});

describe('DevOpsClient: response size', () => {
  test('a response over the limit names the operation, then the endpoint and limit, and is not retried', async () => {
    const tooLarge = new ResponseTooLargeError(
      'The Azure DevOps host dev.azure.com (https://dev.azure.com/contoso/_apis/items) sent a response larger than 64 MiB.',
      64 * 1024 * 1024
    );
    const h = createClientHarness([tooLarge]);
    const error = await rejectionOf(
      h.client.send({ method: 'GET', url: new URL(URL_), description: "operation 1 ('all')" })
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toBe(`operation 1 ('all'): ${tooLarge.message}`);
    expect(h.transport.requests).toHaveLength(1);
  });

  test('without a description the transport error comes back as it is', async () => {
    const tooLarge = new ResponseTooLargeError('The Azure DevOps host dev.azure.com sent too much.', 1024);
    const h = createClientHarness([tooLarge]);
    expect(await rejectionOf(h.client.send({ method: 'GET', url: new URL(URL_) }))).toBe(tooLarge);
  });
});
