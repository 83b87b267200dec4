import {
  azureDevOpsError,
  formatRequestIds,
  parseAzureDevOpsError,
  readRequestIds,
  type TokenIdentity
} from '../devops/errors.js';
import { AzureDevOpsError, BudgetExceededError, neutralizeServerText } from '../errors.js';
import { type Budget, type DevOpsClient, type DevOpsResponse, type RequestStats } from '../devops/client.js';
import { createDeadline, displayUrl } from '../http/transport.js';
import type { SecretGuard } from '../secrets.js';
import type { Organization } from '../settings.js';
import type { OperationRecord } from '../summary.js';
import type { Throttle } from '../http/throttle.js';
import { operationLabel, type Operation } from './model.js';
import { checkItemUrl, preflightOperations } from './preflight.js';
import { renderItems, renderRequest } from './request.js';
import { evaluate, type TemplateScope } from './template.js';
import { templateEnvironment } from './template-env.js';

export interface RunContext {
  client: DevOpsClient;
  organization: Organization | undefined;
  identity: TokenIdentity;
  /** What templates see as `env` (filtered by templateEnvironment): a snapshot from before the step exported anything. */
  env: NodeJS.ProcessEnv;
  guard: SecretGuard;
  stats: RequestStats;
  throttle: Throttle;
  /** Receives one record per operation, including the one that failed (the step summary). */
  records?: OperationRecord[];
  /** The total time all operations may take, and the input that sets it; unbounded when absent. */
  budget?: { seconds: number; input: string };
  /** Send only reads (GET, HEAD); show every write, and what depends on one, as the request it would send. */
  dryRun?: boolean;
}

/** What the requests of one operation (all its pages and items) came to. */
interface Tally {
  statuses: Map<number, number>;
  paths: Set<string>;
  retries: number;
  /** Requests a dry run showed instead of sending. */
  planned: number;
}

const MAX_PAGES = 10_000;

/** Runs the operations in order and returns each named operation's result. */
export async function runOperations(written: Operation[], ctx: RunContext): Promise<Record<string, unknown>> {
  // Checked against Microsoft's published REST API before the first request (and routed to the right host).
  const operations = preflightOperations(written, {
    organization: ctx.organization,
    info: (message) => ctx.guard.info(message)
  });
  const started = Date.now();
  const before = {
    requests: ctx.stats.requests,
    retries: ctx.stats.retries,
    throttled: ctx.throttle.waitedMs
  };
  const results: Record<string, unknown> = {};
  const budget = ctx.budget ? operationsBudget(ctx.budget.seconds, ctx.budget.input) : undefined;
  const env = templateEnvironment(ctx.env);
  const organization = ctx.organization ? { name: ctx.organization.name, url: ctx.organization.url } : null;
  const dryRun = ctx.dryRun ? (await import('./dry-run.js')).createDryRun() : undefined;
  for (const operation of operations) {
    const scope: TemplateScope = { results, env, organization };
    const label = operationLabel(operation.index, operation.name);
    const tally: Tally = { statuses: new Map(), paths: new Set(), retries: 0, planned: 0 };
    const operationStarted = Date.now();
    let result: unknown;
    try {
      if (dryRun?.skips(operation)) {
        ({ result, requests: tally.planned } = dryRun.plan(operation, scope, ctx, label, tally.paths));
      } else if (operation.forEach === undefined) {
        ctx.guard.info(
          `Running ${label}: ${operation.method} ${operation.url}${operation.paginate ? ' (all pages)' : ''}.`
        );
        result = await runOne(operation, scope, ctx, label, tally, budget);
      } else {
        const items = renderItems(operation, scope, label);
        ctx.guard.info(
          `Running ${label}: ${operation.method} ${operation.url} for ${items.length} items, ${Math.min(operation.concurrency, items.length)} at a time.`
        );
        result = await mapConcurrent(items, operation.concurrency, (item, i) =>
          runOne(operation, { ...scope, item }, ctx, `${label}, item ${i + 1}`, tally, budget)
        );
      }
      ctx.records?.push(record(operation, label, tally, operationStarted));
    } catch (error) {
      ctx.records?.push(record(operation, label, tally, operationStarted, error));
      throw error;
    }
    if (operation.name !== undefined) results[operation.name] = result;
  }
  const planned = dryRun?.closing();
  if (planned !== undefined) ctx.guard.info(planned);
  const requests = ctx.stats.requests - before.requests;
  const retries = ctx.stats.retries - before.retries;
  const throttled = (ctx.throttle.waitedMs - before.throttled) / 1000;
  ctx.guard.info(
    `Operations done: ${operations.length} operations, ${requests} requests, ${retries} retries, ${throttled.toFixed(1)} s held back by rate limits, ${((Date.now() - started) / 1000).toFixed(1)} s in all.`
  );
  return results;
}

/** The summary's row for an operation: its path without the query, how its requests ended, what they cost. */
function record(
  operation: Operation,
  label: string,
  tally: Tally,
  started: number,
  error?: unknown
): OperationRecord {
  const statuses = [...tally.statuses.entries()].sort(([a], [b]) => a - b);
  let status =
    statuses.length === 1 && statuses[0]?.[1] === 1
      ? String(statuses[0][0])
      : statuses.map(([code, count]) => `${code} ×${count}`).join(', ');
  if (tally.planned > 0) status = `planned (dry run)${tally.planned === 1 ? '' : ` ×${tally.planned}`}`;
  if (error !== undefined) status = status === '' ? 'failed' : `failed (${status})`;
  const paths = [...tally.paths];
  // Stryker disable next-line StringLiteral: unreachable fallbacks: paths[0] exists when there is one path, and split always gives a first part.
  const path = paths.length === 1 ? (paths[0] ?? '') : (operation.url.split('?')[0] ?? '');
  return {
    label,
    method: operation.method,
    path,
    status,
    durationMs: Date.now() - started,
    retries: tally.retries
  };
}

async function runOne(
  operation: Operation,
  scope: TemplateScope,
  ctx: RunContext,
  label: string,
  tally: Tally,
  budget: Budget | undefined
): Promise<unknown> {
  const { url, headers, body } = renderRequest(operation, scope, ctx.guard, ctx.organization, label);
  if (operation.forEach !== undefined) checkItemUrl(operation, url, ctx.organization, label);
  tally.paths.add(url.pathname);

  let response: DevOpsResponse;
  let data: unknown;
  // The URL object is shared: paging sets continuationToken on it between requests.
  const send = async (): Promise<DevOpsResponse> => {
    const answer = await ctx.client.send({
      method: operation.method,
      url,
      headers,
      ...(body !== undefined ? { body } : {}),
      description: label,
      ...(budget ? { budget } : {})
    });
    tally.statuses.set(answer.status, (tally.statuses.get(answer.status) ?? 0) + 1);
    tally.retries += answer.retries;
    return answer;
  };
  if (operation.paginate) {
    const items: unknown[] = [];
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      response = await send();
      if (!expected(operation, response.status)) break;
      const value = (response.data as { value?: unknown } | null)?.value;
      if (!Array.isArray(value)) {
        const ids = readRequestIds(response.headers);
        throw new AzureDevOpsError(
          `${label}: paginate needs a response with a 'value' list, but ${operation.method} ${displayUrl(url)} answered without one.${formatRequestIds(ids)}`,
          response.status,
          undefined,
          ids
        );
      }
      items.push(...(value as unknown[]));
      const token = response.headers['x-ms-continuationtoken'];
      if (!token) break;
      if (seen.has(token) || page >= MAX_PAGES) {
        const ids = readRequestIds(response.headers);
        throw new AzureDevOpsError(
          `${label}: Azure DevOps repeated continuation token '${neutralizeServerText(token)}' (or sent more than ${MAX_PAGES} pages); stopping instead of looping.${formatRequestIds(ids)}`,
          response.status,
          undefined,
          ids
        );
      }
      seen.add(token);
      url.searchParams.set('continuationToken', token);
    }
    data = { count: items.length, value: items };
  } else {
    response = await send();
    data = response.data;
  }
  if (!expected(operation, response.status)) {
    const error = azureDevOpsError(
      label,
      `${operation.method} ${displayUrl(response.url)}`,
      response,
      ctx.identity,
      ctx.organization?.name ?? ''
    );
    if (!operation.continueOnError) throw error;
    ctx.guard.warning(`${error.message} (continue-on-error: the run goes on)`);
    const { message, typeKey } = parseAzureDevOpsError(response.body);
    return {
      error: {
        status: response.status,
        message: message ?? '',
        typeKey: typeKey ?? '',
        code: error.code ?? '',
        activityId: error.activityId ?? '',
        e2eId: error.e2eId ?? '',
        msEdgeRef: error.msEdgeRef ?? ''
      }
    };
  }
  if (operation.select === undefined) return operation.paginate ? (data as { value: unknown[] }).value : data;
  return evaluate(operation.select, data);
}

/** One deadline for every request of every operation: pages, items, retries and rate-limit pauses. */
function operationsBudget(seconds: number, input: string): Budget {
  const deadline = createDeadline(seconds);
  return {
    deadline,
    exceeded: (what, detail) =>
      new BudgetExceededError(
        `${capitalize(what)} did not finish: the operations' time budget of ${seconds} second${seconds === 1 ? '' : 's'} ran out ${detail}. Raise '${input}' (seconds) if the operations need longer, or make them do less (fewer pages or items, narrower queries).`,
        seconds
      )
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function expected(operation: Operation, status: number): boolean {
  return operation.expect ? operation.expect.includes(status) : status >= 200 && status < 300;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep item order; the first failure stops new items. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  // Stryker disable next-line ArrayDeclaration: every index is assigned before results is returned (a failure throws), so preallocating changes nothing.
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
