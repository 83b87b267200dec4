import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OperationsInputs } from './source.js';
import type { Operation } from './model.js';

/** Parses and checks the operations inputs; undefined when there are none. */
export type OperationsReader = (inputs: OperationsInputs) => Operation[] | undefined;

/**
 * The operations file input, or '' when it is not set. Azure Pipelines fills an empty filePath input with the
 * sources directory, so a file input naming a directory means "not set". A missing file is set: reading it
 * reports the error.
 */
export function operationsFileInput(file: string, baseDir: string): string {
  const path = file.trim();
  // Stryker disable next-line ConditionalExpression: a shortcut: resolving '' gives baseDir, a directory (or unreadable), which also yields ''.
  if (path === '') return '';
  try {
    return statSync(resolve(baseDir, path)).isDirectory() ? '' : path;
  } catch {
    return path;
  }
}

/** True when a run has operations (inline, or a file that is set). */
export function operationsRequested(inline: string, file: string, baseDir: string): boolean {
  return inline.trim() !== '' || operationsFileInput(file, baseDir) !== '';
}

/** Stands in for the engine when a run has no operations; a run that has some cannot reach it. */
const noOperations: OperationsReader = (inputs) => {
  if (operationsRequested(inputs.inline.value, inputs.file.value, inputs.baseDir))
    throw new Error('Internal error: operations were given but the operations engine was not loaded.');
  return undefined;
};

/**
 * The operations engine (YAML, JMESPath, the runner) is loaded only by runs that have operations: most runs
 * only get a token, and loading it cost them about 15 ms of start-up (docs/development.md, Performance).
 */
export async function loadOperationsReader(
  inline: string,
  file: string,
  baseDir: string
): Promise<OperationsReader> {
  return operationsRequested(inline, file, baseDir)
    ? (await import('./source.js')).readOperations
    : noOperations;
}
