import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Settings } from '../settings.js';
import type { OperationsInputs } from './source.js';
import type { Operation } from './model.js';

/** Parses and checks the operations inputs; undefined when there are none. */
export type OperationsReader = (inputs: OperationsInputs) => Operation[] | undefined;

/** Whatever carries the operations inputs, undefined when the run has none. */
interface PendingOperations {
  operations: OperationsInputs | undefined;
}
/** The same with the operations parsed. */
type WithOperations<R> = Omit<R, 'operations'> & Pick<Settings, 'operations'>;

/**
 * Settings as an adapter reads them: the operations still as their inputs, undefined when the run has none.
 * The operations engine parses them (loadOperations), so a run without operations never loads it.
 */
export type SettingsRead<S extends Settings> = Omit<S, 'operations'> & PendingOperations;

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

/** The operations inputs when the run has operations; undefined when it has none. */
export function requestedOperations(inputs: OperationsInputs): OperationsInputs | undefined {
  return operationsRequested(inputs.inline.value, inputs.file.value, inputs.baseDir) ? inputs : undefined;
}

/** The settings with their operations parsed by `readOperations`. */
export function withOperations<R extends PendingOperations>(
  read: R,
  readOperations: OperationsReader
): WithOperations<R> {
  return { ...read, operations: read.operations && readOperations(read.operations) };
}

/**
 * The operations engine (YAML, JMESPath, the runner) is loaded only by runs that have operations: most runs
 * only get a token, and loading it cost them about 15 ms of start-up (docs/development.md, Performance).
 */
export async function loadOperations<R extends PendingOperations>(read: R): Promise<WithOperations<R>> {
  if (read.operations === undefined) return { ...read, operations: undefined };
  return withOperations(read, (await import('./source.js')).readOperations);
}
