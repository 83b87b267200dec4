import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';
import { OperationFormatError } from './model.js';

type Ast = ReturnType<typeof compile>;

/** What `{{ … }}` expressions see. */
export interface TemplateScope {
  results: Record<string, unknown>;
  item?: unknown;
  env: Record<string, string>;
  organization: { name: string; url: string } | null;
}

const TEMPLATE = /\{\{([\s\S]*?)\}\}/g;
const WHOLE = /^\{\{([\s\S]*?)\}\}$/;
const ROOTS = ['results', 'item', 'env', 'organization'];
const compiled = new Map<string, Ast>();

function astOf(expression: string): Ast {
  let ast = compiled.get(expression);
  // Stryker disable next-line ConditionalExpression: the cache only saves compiling again; a fresh AST evaluates the same
  if (ast === undefined) {
    ast = compile(expression);
    compiled.set(expression, ast);
  }
  return ast;
}

/** Compiles a JMESPath expression once; throws a message naming where it was found. */
export function compileExpression(expression: string, where: string): void {
  try {
    astOf(expression);
  } catch (error) {
    throw new OperationFormatError(
      `${where}: '${expression}' is not a valid JMESPath expression (${error instanceof Error ? error.message : String(error)}).`
    );
  }
}

/** The expressions inside `{{ }}` in a string. */
export function expressionsIn(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].map((m) => (m[1] as string).trim());
}

export interface ReferenceRules {
  /** Names of operations that run before this one. */
  earlier: ReadonlySet<string>;
  /** Names of operations that run later (to say "not yet" instead of "unknown"). */
  all: ReadonlySet<string>;
  /** True inside a for-each operation, where `item` exists. */
  hasItem: boolean;
  where: string;
}

/** Compiles every template in `text` and checks what it refers to: earlier results, item only in for-each. */
export function checkTemplates(text: string, rules: ReferenceRules): void {
  for (const expression of expressionsIn(text)) {
    if (expression === '')
      throw new OperationFormatError(
        `${rules.where}: '{{ }}' is empty; put a JMESPath expression inside, such as {{ results.repos[0].id }}.`
      );
    compileExpression(expression, rules.where);
    visitRoots(astOf(expression), (root, next) => {
      if (!ROOTS.includes(root)) {
        throw new OperationFormatError(
          `${rules.where}: '{{ ${expression} }}' refers to '${root}'; templates can use ${ROOTS.join(', ')}.`
        );
      }
      if (root === 'item' && !rules.hasItem) {
        throw new OperationFormatError(
          `${rules.where}: '{{ ${expression} }}' uses 'item', which exists only in an operation with for-each.`
        );
      }
      if (root === 'results' && next !== undefined && !rules.earlier.has(next)) {
        const why = rules.all.has(next)
          ? 'which runs later (an operation can only use the results of operations above it)'
          : 'but no operation has that name';
        throw new OperationFormatError(`${rules.where}: '{{ ${expression} }}' uses results.${next}, ${why}.`);
      }
    });
  }
}

/** What an expression reads from the scope: `results.NAME` gives { root: 'results', next: 'NAME' }. */
export function rootsOf(expression: string): { root: string; next: string | undefined }[] {
  const roots: { root: string; next: string | undefined }[] = [];
  visitRoots(astOf(expression), (root, next) => roots.push({ root, next }));
  return roots;
}

/**
 * Calls `visit` for each name evaluated against the root of the scope (and the field right after it,
 * for results.NAME). Right-hand sides of `.`, `|`, projections and filters are relative, not roots.
 */
function visitRoots(node: Ast, visit: (root: string, next: string | undefined) => void): void {
  const n = node as unknown as Record<string, unknown> & { type: string };
  switch (n.type) {
    case 'Field':
      visit(n.name as string, undefined);
      return;
    case 'Subexpression': {
      const left = n.left as Ast & { type: string; name?: string };
      const right = n.right as Ast & { type: string; name?: string };
      if (left.type === 'Field') visit(left.name, leadingField(right));
      else visitRoots(left, visit);
      return;
    }
    case 'Literal':
      return;
    case 'Pipe':
    case 'Projection':
    case 'FilterProjection':
    case 'ExpressionReference':
      if (n.left) visitRoots(n.left as Ast, visit);
      return;
    default:
      for (const value of Object.values(n)) {
        for (const child of Array.isArray(value) ? value : [value]) {
          if (child && typeof child === 'object' && 'type' in child) visitRoots(child as Ast, visit);
        }
      }
  }
}

/** The first field a path starts with: `later` in `later[0].id` or `nope[*].id`. */
function leadingField(node: Ast): string | undefined {
  const n = node as unknown as { type: string; name?: string; left?: Ast };
  if (n.type === 'Field') return n.name;
  if (n.left) return leadingField(n.left);
  return undefined;
}

export function evaluate(expression: string, data: unknown): unknown {
  return TreeInterpreter.search(astOf(expression), data as JSONValue);
}

/** A string that is exactly one template keeps the value's type; otherwise values are spliced in as text. */
export function renderString(text: string, scope: TemplateScope): unknown {
  const expressions = expressionsIn(text);
  if (expressions.length === 1 && WHOLE.test(text.trim())) return evaluate(expressions[0] as string, scope);
  return text.replace(TEMPLATE, (_, expression: string) => {
    // Stryker disable next-line MethodExpression: JMESPath skips surrounding blanks; trimming only shares the compiled cache
    return toText(evaluate(expression.trim(), scope));
  });
}

/** How a value is spliced into text (URLs, query values, headers): booleans, objects and lists as JSON, null as nothing. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString(); // NaN, not JSON's null
  return JSON.stringify(value);
}

/** Renders every string inside a value (objects and arrays are walked). */
export function renderValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, scope)]));
  return value;
}

/** Every string inside a value, for checking templates (Object.values walks lists too, and gives none for numbers). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return value === null || value === undefined ? [] : Object.values(value).flatMap(stringsIn);
}
